package simterpose.simulator.platform;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventLocator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import simterpose.simulator.platform.xml.Xml;

/**
 * Reads SimGrid platform and deployment files (DTD v4.1) into an immutable {@link Platform}.
 * Every problem, from XML that is not well-formed to a route naming an unknown link, becomes one
 * {@link PlatformException} at file:line:column. Stateless: the JAXB context is immutable and
 * shared; each call makes its own unmarshaller.
 */
public final class PlatformLoader {
    private PlatformLoader() {}

    /** Elements of SimGrid's DTD that simterpose does not implement (a clear error, not "unknown"). */
    private static final Set<String> UNSUPPORTED_ELEMENTS = Set.of(
            "include", "trace", "trace_connect", "random", "cabinet", "peer", "storage_type", "storage", "mount",
            "disk", "host_link", "backbone", "model_prop");
    private static final Pattern UNEXPECTED = Pattern.compile("local:\"([^\"]*)\"");

    private static final class Context {
        static final JAXBContext INSTANCE;

        static {
            try {
                INSTANCE = JAXBContext.newInstance(Xml.Platform.class);
            } catch (JAXBException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /**
     * Builds the XML binding context and reads a one-host platform from memory: the first read
     * of a file costs about 60 ms of reflection and class loading, once per JVM, which a start-up
     * can thus spend on a spare thread while it does something else. Idempotent, no output.
     */
    public static void link() {
        parse("(start-up)", """
                <platform version="4.1"><zone id="z" routing="Full"><host id="h" speed="1Gf"/></zone></platform>
                """.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The largest file read: SimGrid's biggest example platforms are a few MiB. */
    static final int MAX_FILE_BYTES = 64 << 20;

    /** Loads a platform file (it may also hold a deployment: see {@link Platform#deployment()}). */
    public static Platform load(Path file) {
        String name = file.toString();
        byte[] content;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1); // bounded: /dev/zero or a FIFO must not fill the heap
            if (content.length > MAX_FILE_BYTES) {
                throw new PlatformException(name, 0, 0, "larger than " + (MAX_FILE_BYTES >> 20)
                        + " MiB: not a platform or deployment file");
            }
        } catch (NoSuchFileException e) {
            throw new PlatformException(name, 0, 0, "no such file");
        } catch (IOException e) {
            throw new PlatformException(name, 0, 0, "cannot read: " + e.getMessage());
        }
        return parse(name, content);
    }

    /** Parses XML already in memory; {@code fileName} only names it in messages. */
    public static Platform parse(String fileName, byte[] content) {
        Xml.Platform root = unmarshal(fileName, content);
        try {
            return new PlatformBuilder(fileName).build(root);
        } catch (PlatformException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // A case the builder does not foresee is still this input's fault: report it, located.
            throw new PlatformException(fileName, 1, 1, "cannot build the platform: " + e);
        }
    }

    /** Loads a deployment file and checks every actor's host exists in {@code platform}. */
    public static Deployment loadDeployment(Path file, Platform platform) {
        return load(file).deployment().validate(platform);
    }

    private static Xml.Platform unmarshal(String fileName, byte[] content) {
        FirstError firstError = new FirstError();
        try {
            Unmarshaller unmarshaller = Context.INSTANCE.createUnmarshaller();
            unmarshaller.setEventHandler(firstError);
            Object root = unmarshaller.unmarshal(source(fileName, content));
            if (firstError.event != null) {
                throw fromEvent(fileName, firstError.event);
            }
            if (!(root instanceof Xml.Platform platform)) {
                throw new PlatformException(fileName, 1, 1, "expected a <platform> root element");
            }
            return platform;
        } catch (UnmarshalException e) {
            if (firstError.event != null) {
                throw fromEvent(fileName, firstError.event);
            }
            throw fromCause(fileName, e);
        } catch (JAXBException e) {
            throw fromCause(fileName, e);
        } catch (RuntimeException e) {
            if (e instanceof PlatformException pe) {
                throw pe;
            }
            // The XML stack may throw unchecked on pathological input; it is still bad input.
            if (firstError.event != null) {
                throw fromEvent(fileName, firstError.event);
            }
            throw new PlatformException(fileName, 1, 1, "cannot read XML: " + e);
        }
    }

    private static SAXSource source(String fileName, byte[] content) throws JAXBException {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            // A document naming an external DTD (SimGrid's all do) may declare entities there, so a
            // non-validating parser silently drops an undeclared &nope;. Dynamic validation makes
            // that an error (the DTD itself always reads as empty: never fetched); the validity
            // errors this brings about elements are dropped by UndeclaredEntities below.
            factory.setValidating(true);
            factory.setFeature("http://apache.org/xml/features/validation/dynamic", true);
            // The DOCTYPE names https://simgrid.org/simgrid.dtd: never fetch it, nor any external entity.
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            XMLReader parser = factory.newSAXParser().getXMLReader();
            try {
                parser.setProperty("http://apache.org/xml/properties/locale", java.util.Locale.ROOT);
            } catch (SAXException unsupported) {
                // messages in the default locale; the entity check below then falls back to its key
            }
            InputSource input = new InputSource(new ByteArrayInputStream(content));
            input.setSystemId(fileName);
            XMLReader reader = new UndeclaredEntities(parser); // it hands the parser its own resolver and handlers
            reader.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            return new SAXSource(reader, input);
        } catch (ParserConfigurationException | SAXException e) {
            throw new JAXBException("cannot create an XML parser", e);
        }
    }

    /**
     * Passes the parser's events through, except its recoverable (validity) errors: those say
     * that elements are not declared in the empty DTD and are dropped, but one about an entity
     * referenced and not declared becomes fatal, as it is without a DTD.
     */
    private static final class UndeclaredEntities extends org.xml.sax.helpers.XMLFilterImpl {
        private static final Pattern UNDECLARED = Pattern.compile("[Ee]ntity \"([^\"]*)\" was referenced, but not declared");

        UndeclaredEntities(XMLReader parser) {
            super(parser);
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            if (UNDECLARED.matcher(String.valueOf(e.getMessage())).find()) {
                fatalError(e);
            }
        }
    }

    /** Keeps the first error JAXB reports and stops there: one error per input. */
    private static final class FirstError implements jakarta.xml.bind.ValidationEventHandler {
        ValidationEvent event;

        @Override
        public boolean handleEvent(ValidationEvent e) {
            if (e.getSeverity() == ValidationEvent.WARNING) {
                return true;
            }
            if (event == null) {
                event = e;
            }
            return false;
        }
    }

    private static PlatformException fromEvent(String fileName, ValidationEvent event) {
        ValidationEventLocator at = event.getLocator();
        int line = at == null ? 0 : Math.max(at.getLineNumber(), 0);
        int column = at == null ? 0 : Math.max(at.getColumnNumber(), 0);
        String message = event.getMessage() == null ? "malformed XML" : event.getMessage();
        if (event.getLinkedException() instanceof SAXParseException sax) {
            line = Math.max(sax.getLineNumber(), line);
            column = Math.max(sax.getColumnNumber(), column);
            return new PlatformException(fileName, Math.max(line, 1), column, "not well-formed XML: " + sax.getMessage());
        }
        if (message.startsWith("unexpected element")) {
            Matcher m = UNEXPECTED.matcher(message);
            String element = m.find() ? m.group(1) : "?";
            message = UNSUPPORTED_ELEMENTS.contains(element)
                    ? "unsupported element <" + element + ">: simterpose does not implement this SimGrid feature"
                    : "unknown or misplaced element <" + element + "> (see SimGrid's DTD v4.1)";
        }
        return new PlatformException(fileName, Math.max(line, 1), column, message);
    }

    private static PlatformException fromCause(String fileName, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SAXParseException sax) {
                return new PlatformException(fileName, Math.max(sax.getLineNumber(), 1), Math.max(sax.getColumnNumber(), 0),
                        "not well-formed XML: " + sax.getMessage());
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new PlatformException(fileName, 1, 1, "cannot read XML: " + root.getMessage());
    }
}
