package simterpose.simulator.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import java.util.List;

/** Test helpers: platforms from resources or inline XML. */
final class Platforms {
    private Platforms() {}

    /**
     * SimGrid's own {@code small_platform.xml}. It is not copied into this repository: it is read
     * from the steering repository's {@code shared/simgrid-platforms/}, which CI places beside the
     * clone. Tests that need it are skipped (not passed) where it is absent.
     */
    static final String SMALL_PLATFORM = "small_platform.xml";

    static Path simgridSmallPlatform() {
        Path root = Path.of(System.getProperty("simterpose.root", "."));
        Path file = root.resolve("../shared/simgrid-platforms/small_platform.xml").normalize();
        Assumptions.assumeTrue(Files.isRegularFile(file), "SimGrid's small_platform.xml not found at " + file);
        return file;
    }

    static Path resource(String name) {
        if (name.equals(SMALL_PLATFORM)) {
            return simgridSmallPlatform();
        }
        try {
            return Path.of(Platforms.class.getResource("/platforms/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Platform load(String resourceName) {
        return PlatformLoader.load(resource(resourceName));
    }

    /** A platform file with {@code body} inside {@code <platform version="4.1">}. */
    static Platform inline(String body) {
        return PlatformLoader.parse("test.xml", xml(body));
    }

    static byte[] xml(String body) {
        return ("<?xml version='1.0'?>\n<platform version=\"4.1\">\n" + body + "\n</platform>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<String> names(Route route) {
        return route.links().stream().map(Link::name).toList();
    }

    static List<String> route(Platform p, String src, String dst) {
        return names(p.route(src, dst));
    }
}
