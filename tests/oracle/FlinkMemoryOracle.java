// The judge of flinktune's memory model: runs Flink's own BashJavaUtils commands (GET_TM_RESOURCE_PARAMS,
// GET_JM_RESOURCE_PARAMS) for many configurations inside one JVM, so that hundreds of cases take seconds instead of
// a JVM start each. It calls the same private entry point BashJavaUtils.main calls, with the same arguments
// (--configDir DIR -D k=v ...), so configuration loading, legacy-key mapping and the memory derivation are Flink's.
//
// Input (a file, one case per line, tab-separated): ID  COMMAND  CONF_DIR  [k=v ...]
// Output (a file, one line per case): ID  OK  JVM_PARAMS  DYNAMIC_CONFIGS
//                                 or: ID  ERR  message<US>cause message<US>...   (US = \u001f)
// Compiled by the differential test against the distribution's bin/bash-java-utils.jar and lib/*.

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

public final class FlinkMemoryOracle {
    public static void main(String[] args) throws Exception {
        Class<?> utils = Class.forName("org.apache.flink.runtime.util.bash.BashJavaUtils");
        Class<?> commandType = Class.forName("org.apache.flink.runtime.util.bash.BashJavaUtils$Command");
        Method runCommand = utils.getDeclaredMethod("runCommand", commandType, String[].class);
        runCommand.setAccessible(true);
        Method valueOf = commandType.getMethod("valueOf", String.class);

        try (BufferedReader in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8);
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                List<String> commandArgs = new ArrayList<>();
                commandArgs.add("--configDir");
                commandArgs.add(fields[2]);
                for (int i = 3; i < fields.length; i++) {
                    commandArgs.add("-D");
                    commandArgs.add(fields[i]);
                }
                String result;
                try {
                    @SuppressWarnings("unchecked")
                    List<String> lines = (List<String>) runCommand.invoke(
                            null, valueOf.invoke(null, fields[1]), (Object) commandArgs.toArray(new String[0]));
                    result = "OK\t" + clean(lines.get(0)) + "\t" + clean(lines.get(1));
                } catch (InvocationTargetException e) {
                    StringBuilder chain = new StringBuilder();
                    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                        if (chain.length() > 0) {
                            chain.append('\u001f');
                        }
                        chain.append(clean(String.valueOf(t.getMessage())));
                    }
                    result = "ERR\t" + chain;
                }
                out.println(fields[0] + "\t" + result);
            }
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
