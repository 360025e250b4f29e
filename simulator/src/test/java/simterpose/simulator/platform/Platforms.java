package simterpose.simulator.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: platforms from resources or inline XML. */
final class Platforms {
    private Platforms() {}

    static Path resource(String name) {
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
