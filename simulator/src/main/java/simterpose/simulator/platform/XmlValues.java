package simterpose.simulator.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simterpose.simulator.platform.Units.UnitException;
import simterpose.simulator.platform.xml.Xml;

/**
 * The attribute values of one platform file, read and checked: units, numbers, integers as
 * SimGrid's C++ parses them, required attributes, props, unknown or ignored attributes. Every
 * error is a {@link PlatformException} at the element's file:line:column.
 */
final class XmlValues {
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
            result.put(required(p, "id", p.id), required(p, "value", p.value));
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
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw at(node, attribute + "=\"" + text + "\": expected a number");
        }
    }

    /** C++ std::stoi: leading blanks, a sign, digits; trailing characters are ignored. */
    int cInt(Xml.Node node, String text, String attribute) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        if (i == digits) {
            throw at(node, attribute + "=\"" + text + "\": expected an integer");
        }
        try {
            return Integer.parseInt(text.substring(start, i));
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
