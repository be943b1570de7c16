package dev.ferry.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code bin/ferry-example NAME ARGS}: runs the example program {@code dev.ferry.examples.NAME}
 * from the CLI's jar, which holds the examples module (so they run right after the build, without
 * a Maven plugin). Without NAME, or with an unknown one, lists the examples and exits 2.
 */
public final class Examples {

    static final String PACKAGE = "dev.ferry.examples";

    private Examples() {}

    /** Runs one example, passing it the remaining arguments. */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].startsWith("-")) {
            usage(null);
        }
        Method main = mainOf(args[0]);
        if (main == null) {
            usage(args[0]);
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        try {
            main.invoke(null, (Object) rest);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void usage(String unknown) throws IOException {
        if (unknown != null) {
            System.err.println("ferry-example: no example named '" + unknown + "'");
        }
        System.err.println("usage: bin/ferry-example NAME [ARGS...]; run one without ARGS for its own usage");
        System.err.println("examples: " + String.join(", ", names()));
        System.exit(ExitCode.USAGE.code());
    }

    /** The public {@code main} of {@code dev.ferry.examples.NAME}, or null. */
    static Method mainOf(String name) {
        if (!name.matches("[A-Z][A-Za-z0-9]*")) {
            return null;
        }
        try {
            Class<?> c = Class.forName(PACKAGE + "." + name, false, Examples.class.getClassLoader());
            Method m = c.getMethod("main", String[].class);
            return Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(c.getModifiers()) ? m : null;
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            return null;
        }
    }

    /** The examples on the class path: top-level classes of the package with a main method. */
    static TreeSet<String> names() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        String dir = PACKAGE.replace('.', '/');
        Enumeration<URL> urls = Examples.class.getClassLoader().getResources(dir);
        while (urls.hasMoreElements()) {
            URL url = urls.nextElement();
            if (url.getProtocol().equals("jar")) {
                JarURLConnection c = (JarURLConnection) url.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(dir + "/") && n.endsWith(".class") && n.indexOf('/', dir.length() + 1) < 0) {
                            names.add(n.substring(dir.length() + 1, n.length() - 6));
                        }
                    }
                }
            } else if (url.getProtocol().equals("file")) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                            .forEach(n -> names.add(n.substring(0, n.length() - 6)));
                } catch (URISyntaxException e) {
                    // not a path: nothing listed from it
                }
            }
        }
        names.removeIf(n -> n.contains("$") || mainOf(n) == null);
        return names;
    }
}
