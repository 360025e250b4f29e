import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run by the cli module at package time, with the JDK's source launcher): rewrites,
 * in place, the class files older than Java 6 (major version below 50) in the jars of a
 * directory as Java 8 class files with stack maps, the same code otherwise.
 *
 * <p>Why: the JVM's AOT cache (JEP 483) leaves out "old" classes that were linked during
 * training, and picocli is compiled for Java 5. Its 200-odd classes were loaded, verified and
 * interpreted from the jar at every start of simterpose, about 100 ms of it. Rewritten, they
 * come from the cache: `trace -o /dev/null -- true` starts in 0.30 s instead of 0.36 s, and a
 * `run` of /bin/true in 0.37 s instead of 0.41 s (medians of 8 alternated runs, each jar with an
 * AOT cache of its own).
 *
 * <p>A jar without old classes is not touched (so a second build changes nothing); a class whose
 * stack maps cannot be computed is kept as it was. Usage: java UpgradeOldClassFiles.java DIR
 */
public class UpgradeOldClassFiles {
    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java UpgradeOldClassFiles.java DIR");
            System.exit(2);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                upgrade(jar);
            }
        }
    }

    private static void upgrade(Path jar) throws IOException {
        List<String> kept = new ArrayList<>();
        int rewritten = 0;
        Path out = jar.resolveSibling(jar.getFileName() + ".upgrading");
        try (ZipFile zip = new ZipFile(jar.toFile());
             URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            if (zip.stream().noneMatch(e -> isOld(zip, e))) {
                return;
            }
            // Stack maps need the supertypes of what meets at a branch: the jar's own, then the JDK's.
            ClassFile files = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.ofResourceParsing(classes).orElse(ClassHierarchyResolver.defaultResolver())));
            try (ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
                for (ZipEntry e : zip.stream().toList()) {
                    if (isSignature(e.getName())) {
                        continue; // the rewritten jar is no longer the signed one
                    }
                    byte[] bytes = zip.getInputStream(e).readAllBytes();
                    if (isOld(zip, e)) {
                        try {
                            ClassModel model = files.parse(bytes);
                            bytes = files.transformClass(model,
                                    ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                            .andThen(ClassTransform.endHandler(b -> b.withVersion(JAVA_8, 0))));
                            rewritten++;
                        } catch (IllegalArgumentException | IllegalStateException cannot) {
                            kept.add(e.getName());
                        }
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTime(e.getTime());
                    zout.putNextEntry(copy);
                    zout.write(bytes);
                    zout.closeEntry();
                }
            }
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("upgraded " + rewritten + " old class files in " + jar.getFileName()
                + (kept.isEmpty() ? "" : "; kept as they were: " + kept));
    }

    /** A class file whose major version (bytes 6-7) is below Java 6's. */
    private static boolean isOld(ZipFile zip, ZipEntry e) {
        if (!e.getName().endsWith(".class") || e.getName().startsWith("META-INF/")) {
            return false;
        }
        try (var in = zip.getInputStream(e)) {
            byte[] head = in.readNBytes(8);
            return head.length == 8 && (((head[6] & 0xff) << 8) | (head[7] & 0xff)) < JAVA_6;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static boolean isSignature(String name) {
        return name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA")
                || name.endsWith(".DSA") || name.endsWith(".EC"));
    }
}
