// Lists every ConfigOption a Flink distribution declares, as TSV on stdout: the raw material of
// src/flink/catalogue/options.tsv (merged over releases by scripts/catalogue/generate.sh).
//
//   java FlinkOptionCatalogue.java FLINK_HOME        (or javac it once and run it per release)
//
// It has no compile-time dependency on Flink: every jar of FLINK_HOME/lib and FLINK_HOME/opt goes into one class loader,
// every class in them is looked up without initialising it, and a class is initialised (to read its fields) only when
// it declares a public static field whose type is a ConfigOption. Classes that fail to load are skipped and counted on
// stderr. Everything about an option is read by reflection, so the same compiled class runs on Flink 1.15 to 2.3.
//
// Left out: options of connectors, formats, catalogs, modules and SQL hints. They are set in a table's WITH clause, a
// catalog or module definition or a hint, never in Flink's configuration, and their keys (`path`, `format`, `timeout`)
// would make `flinktune check` accept nonsense. See EXCLUDED below; the count is printed on stderr.
//
// Output columns (one line per option, sorted by key then class, duplicates removed):
//   key  class  type  default  fallbacks  flags  jar  qualified-class
// type:      Boolean Integer Long Float Double String Duration MemorySize Map, enum:Name(A,B,...), List<...> of any of
//            these, or the simple name of any other class
// default:   empty when the option has none, else "=" followed by the value as Flink writes it
//            (Duration in its highest exact unit, lists joined by ';', maps as k:v,k:v)
// fallbacks: comma-separated fallback keys in Flink's order, "!" before a deprecated one
// flags:     comma-separated: deprecated (the field is @Deprecated), map-prefix (a Map option, which Flink also reads
//            from `key.<name>` entries), suffix:<prefix> (@Documentation.SuffixOption: the key is used below
//            `<prefix>.`; the key printed is then `<prefix>.<key>`), pattern (the key holds a `<name>` placeholder),
//            internal (@Documentation.ExcludeFromDocumentation)
// Text fields escape \ | tab newline CR as \\ \| \t \n \r.
// When one ConfigOption object is reachable from fields of several classes (re-exports), the line names the class
// whose field is not @Deprecated, then one in org.apache.flink.configuration, then the first by name.

import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

public final class FlinkOptionCatalogue {
    /** Classes whose options belong to tables, formats, catalogs, modules or hints rather than to the configuration. */
    private static final java.util.regex.Pattern EXCLUDED = java.util.regex.Pattern.compile(
            "org\\.apache\\.flink\\.(formats\\..*"
                    + "|connector\\.[a-z.]*\\.table\\..*"
                    + "|table\\.(factories|connector|sinks|sources|catalog|module|utils\\.python|runtime\\.arrow\\.sources)\\..*"
                    + "|table\\.api\\.config\\.[A-Za-z]*(HintOptions|RuntimeConfigOptions))");

    /** One field holding a ConfigOption. */
    private static final class Site {
        final Class<?> owner;
        final Field field;
        final String jar;

        Site(Class<?> owner, Field field, String jar) {
            this.owner = owner;
            this.field = field;
            this.jar = jar;
        }

        boolean deprecated() {
            return field.isAnnotationPresent(Deprecated.class);
        }

        /** Lower sorts first: the declaring site rather than a re-export. */
        String rank() {
            return (deprecated() ? "1" : "0")
                    + (owner.getName().startsWith("org.apache.flink.configuration.") ? "0" : "1")
                    + owner.getName() + "#" + field.getName();
        }
    }

    private static Method getClazz;
    private static Method isList;
    private static Method formatDuration;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: FlinkOptionCatalogue FLINK_HOME");
            System.exit(2);
        }
        List<File> jars = new ArrayList<>();
        for (String dir : new String[] {"lib", "opt"}) {
            File[] found = new File(args[0], dir).listFiles((d, name) -> name.endsWith(".jar"));
            if (found != null) {
                Arrays.sort(found);
                jars.addAll(Arrays.asList(found));
            }
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toURI().toURL();
        }
        URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        Class<?> configOption = Class.forName("org.apache.flink.configuration.ConfigOption", false, loader);
        getClazz = configOption.getDeclaredMethod("getClazz");
        getClazz.setAccessible(true);
        isList = configOption.getDeclaredMethod("isList");
        isList.setAccessible(true);
        try {
            formatDuration = Class.forName("org.apache.flink.util.TimeUtils", true, loader)
                    .getMethod("formatWithHighestUnit", Duration.class);
        } catch (ReflectiveOperationException e) {
            formatDuration = null;
        }

        // Every ConfigOption object, with all the fields that hold it (identity: re-exports share the object).
        Map<Object, List<Site>> sites = new IdentityHashMap<>();
        int classes = 0;
        int failed = 0;
        int excluded = 0;
        TreeSet<String> seen = new TreeSet<>();
        for (File jar : jars) {
            String jarName = jar.getName().replaceAll("-\\d[\\w.]*\\.jar$", "").replaceAll("\\.jar$", "");
            List<String> names = new ArrayList<>();
            try (JarFile file = new JarFile(jar)) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                        names.add(name.substring(0, name.length() - 6).replace('/', '.'));
                    }
                }
            }
            names.sort(null);
            for (String name : names) {
                if (!seen.add(name)) {
                    continue; // the first jar on the class path wins, as for the loader
                }
                classes++;
                Class<?> type;
                Field[] fields;
                try {
                    type = Class.forName(name, false, loader);
                    fields = type.getDeclaredFields();
                } catch (Throwable e) {
                    failed++;
                    if (name.endsWith("Options")) {
                        System.err.println("could not load " + name + ": " + e);
                    }
                    continue;
                }
                for (Field field : fields) {
                    int m = field.getModifiers();
                    if (!Modifier.isStatic(m) || !Modifier.isPublic(m) || !configOption.isAssignableFrom(field.getType())) {
                        continue;
                    }
                    Object option;
                    try {
                        field.setAccessible(true);
                        option = field.get(null);
                    } catch (Throwable e) {
                        failed++;
                        System.err.println("skipped " + name + "." + field.getName() + ": " + e);
                        continue;
                    }
                    if (option != null && EXCLUDED.matcher(name).matches()) {
                        excluded++;
                    } else if (option != null) {
                        sites.computeIfAbsent(option, o -> new ArrayList<>()).add(new Site(type, field, jarName));
                    }
                }
            }
        }

        TreeSet<String> lines = new TreeSet<>();
        for (Map.Entry<Object, List<Site>> entry : sites.entrySet()) {
            Site site = entry.getValue().get(0);
            for (Site other : entry.getValue()) {
                if (other.rank().compareTo(site.rank()) < 0) {
                    site = other;
                }
            }
            lines.add(line(entry.getKey(), site));
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line).append('\n');
        }
        System.out.print(out);
        System.err.println(lines.size() + " options from " + sites.size() + " ConfigOption objects; "
                + classes + " classes scanned, " + failed + " could not be loaded or read, " + excluded
                + " table/format/connector/catalog/hint option fields left out");
    }

    private static String line(Object option, Site site) throws Exception {
        Class<?> optionClass = option.getClass();
        String key = (String) optionClass.getMethod("key").invoke(option);
        Class<?> clazz = (Class<?>) getClazz.invoke(option);
        boolean list = (Boolean) isList.invoke(option);
        String type = typeName(clazz);
        if (list) {
            type = "List<" + type + ">";
        }
        boolean hasDefault = (Boolean) optionClass.getMethod("hasDefaultValue").invoke(option);
        Object defaultValue = optionClass.getMethod("defaultValue").invoke(option);
        String defaultText = hasDefault && defaultValue != null ? "=" + escape(format(defaultValue)) : "";

        List<String> fallbacks = new ArrayList<>();
        for (Object fallback : (Iterable<?>) optionClass.getMethod("fallbackKeys").invoke(option)) {
            String fallbackKey = (String) fallback.getClass().getMethod("getKey").invoke(fallback);
            boolean deprecated = (Boolean) fallback.getClass().getMethod("isDeprecated").invoke(fallback);
            fallbacks.add((deprecated ? "!" : "") + escape(fallbackKey));
        }

        List<String> flags = new ArrayList<>();
        if (site.deprecated()) {
            flags.add("deprecated");
        }
        if (clazz == Map.class && !list) {
            flags.add("map-prefix");
        }
        boolean internal = false;
        for (Annotation annotation : site.field.getAnnotations()) {
            String name = annotation.annotationType().getSimpleName();
            if (name.equals("SuffixOption")) {
                String prefix = (String) annotation.annotationType().getMethod("value").invoke(annotation);
                flags.add("suffix:" + escape(prefix).replace(",", "\\,"));
                key = prefix + "." + key;
            } else if (name.equals("ExcludeFromDocumentation")) {
                internal = true;
            }
        }
        if (key.contains("<")) {
            flags.add("pattern");
        }
        if (internal) {
            flags.add("internal");
        }
        return String.join("\t",
                escape(key),
                escape(site.owner.getSimpleName()),
                type,
                defaultText,
                String.join(",", fallbacks),
                String.join(",", flags),
                site.jar,
                site.owner.getName());
    }

    private static String typeName(Class<?> clazz) {
        if (clazz.isEnum()) {
            List<String> constants = new ArrayList<>();
            for (Object constant : clazz.getEnumConstants()) {
                constants.add(((Enum<?>) constant).name());
            }
            return "enum:" + clazz.getSimpleName() + "(" + String.join(",", constants) + ")";
        }
        return clazz.getSimpleName();
    }

    /** A value as it would be written in a Flink config file. */
    private static String format(Object value) throws Exception {
        if (value instanceof Duration && formatDuration != null) {
            return (String) formatDuration.invoke(null, value);
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name();
        }
        if (value instanceof Collection) {
            List<String> parts = new ArrayList<>();
            for (Object item : (Collection<?>) value) {
                parts.add(format(item));
            }
            return String.join(";", parts);
        }
        if (value instanceof Map) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : new java.util.TreeMap<>((Map<?, ?>) value).entrySet()) {
                parts.add(format(e.getKey()) + ":" + format(e.getValue()));
            }
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\': out.append("\\\\"); break;
                case '|': out.append("\\|"); break;
                case '\t': out.append("\\t"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
