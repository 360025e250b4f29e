package simterpose.simulator.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.platform.Units.UnitException;
import simterpose.simulator.platform.xml.Xml;

/**
 * The attribute values of one platform file, read and checked: units, numbers and integers
 * (strictly: a sign, digits, nothing else), required attributes, props (each once), unknown or
 * ignored attributes. Every error is a {@link PlatformException} at the element's
 * file:line:column.
 */
final class XmlValues {
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("[+-]?[0-9]+");
    private final String file;

    XmlValues(String file) {
        this.file = file;
    }


    Location loc(Xml.Node node) {
        if (node.locator == null) {
            return new Location(file, 0, 0);
        }
        return new Location(file, Math.max(node.locator.getLineNumber(), 0), Math.max(node.locator.getColumnNumber(), 0));
    }

    PlatformException at(Xml.Node node, String problem) {
        return loc(node).error(problem);
    }

    void checkAttributes(Xml.Node node) {
        List<String> unknown = node.unknownAttributeNames();
        if (!unknown.isEmpty()) {
            throw at(node, "unknown attribute '" + unknown.getFirst() + "' on <" + node.tag() + ">");
        }
        switch (node) {
            case Xml.Host h -> {
                warnIgnored(h, "speed_file", h.speedFile);
                warnIgnored(h, "availability_file", h.availabilityFile);
                warnIgnored(h, "state_file", h.stateFile);
            }
            case Xml.Link l -> {
                warnIgnored(l, "bandwidth_file", l.bandwidthFile);
                warnIgnored(l, "latency_file", l.latencyFile);
                warnIgnored(l, "state_file", l.stateFile);
            }
            default -> {}
        }
    }

    void warnIgnored(Xml.Node node, String attribute, String value) {
        if (value != null && !value.isEmpty()) {
            org.tinylog.Logger.warn("{}: {} of <{}> is ignored: simterpose does not replay availability profiles",
                    loc(node), attribute, node.tag());
        }
    }

    String required(Xml.Node node, String attribute, String value) {
        if (value == null) {
            throw at(node, "missing attribute '" + attribute + "' on <" + node.tag() + ">");
        }
        return value;
    }

    static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    Map<String, String> props(List<Xml.Prop> props) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Xml.Prop p : props) {
            checkAttributes(p);
            if (result.put(required(p, "id", p.id), required(p, "value", p.value)) != null) {
                throw at(p, "prop '" + p.id + "' given twice in this element");
            }
        }
        return result;
    }

    double bandwidth(Xml.Node node, String text, String what) {
        try {
            return Units.bandwidth(text);
        } catch (UnitException e) {
            throw at(node, what + ": " + e.getMessage());
        }
    }

    double time(Xml.Node node, String text, String what) {
        try {
            return Units.time(text);
        } catch (UnitException e) {
            throw at(node, what + ": " + e.getMessage());
        }
    }

    List<Double> speeds(Xml.Node node, String text, String what) {
        try {
            List<Double> speeds = Units.speeds(text);
            for (double s : speeds) {
                positive(node, s, what);
            }
            return speeds;
        } catch (UnitException e) {
            throw at(node, what + ": " + e.getMessage());
        }
    }

    double positive(Xml.Node node, double value, String what) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw at(node, what + " must be a positive number, got " + value);
        }
        return value;
    }

    double nonNegative(Xml.Node node, double value, String what) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw at(node, what + " must be zero or positive, got " + value);
        }
        return value;
    }

    double number(Xml.Node node, String text, String attribute) {
        if (!DECIMAL.matcher(text).matches()) { // no spaces, no Java-only forms ("1d", "0x1p3", "Infinity")
            throw at(node, attribute + "=\"" + text + "\": expected a number");
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw at(node, attribute + "=\"" + text + "\": expected a number");
        }
    }

    /**
     * An integer: a sign and digits, nothing else. (SimGrid's std::stoi would take " 2" and "1.5"
     * as 2 and 1; such a value is more likely a mistake than a wish, so it is refused.)
     */
    int cInt(Xml.Node node, String text, String attribute) {
        if (!INTEGER.matcher(text).matches()) {
            throw at(node, attribute + "=\"" + text + "\": expected an integer");
        }
        try {
            return Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw at(node, attribute + "=\"" + text + "\": integer out of range");
        }
    }

    int positiveInt(Xml.Node node, String text, String attribute) {
        int v = cInt(node, text, attribute);
        if (v < 1) {
            throw at(node, attribute + "=\"" + text + "\": expected a positive integer");
        }
        return v;
    }
}
