// The judge of the string-typed options a conf directory sets: Flink's typed parsing accepts any text for
// `state.backend.type`, `restart-strategy.type` or `jobmanager.execution.failover-strategy`, and only the code that
// acts on them says whether Flink knows the value. This oracle loads each directory as Flink does
// (GlobalConfiguration.loadConfiguration) and hands it to that code, as the JobManager and the TaskManagers do:
//   STATE_BACKEND      StateBackendLoader.fromApplicationOrConfigOrDefault, as a task builds its backend for a job
//                      that sets none of its own (the backend factories, with the backend's own options; wrapped in
//                      the changelog backend when that is enabled)
//   RESTART_STRATEGY   RestartBackoffTimeStrategyFactoryLoader.createRestartBackoffTimeStrategyFactory (the strategy
//                      and its restart-strategy.* options), the configuration as the cluster's
//   FAILOVER_STRATEGY  FailoverStrategyFactoryLoader.loadFailoverStrategyFactory
// Many directories in one JVM.
//
// Input (a file, one directory per line, tab-separated): ID  CONF_DIR
// Output (a file): per directory  ID  <empty>  LOAD_FAILED  message<US>cause message<US>...   (US = \u001f)
//                       or three  ID  WHAT  OK  <what Flink built: class names, a wrapped backend in brackets>
//                                 ID  WHAT  FAILED  message<US>cause message<US>...
// Compiled by the tests against the distribution's lib/* (tests/it/support/flink_factories.rs). The restart loader's
// signature differs between 1.x (a job-level RestartStrategyConfiguration first) and 2.x, so it is called by
// reflection.

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.Callable;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.executiongraph.failover.FailoverStrategyFactoryLoader;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.delegate.DelegatingStateBackend;

public final class FlinkFactoryOracle {
    private static final String RESTART_LOADER =
            "org.apache.flink.runtime.executiongraph.failover.RestartBackoffTimeStrategyFactoryLoader";
    private static final String RESTART_STRATEGIES = "org.apache.flink.api.common.restartstrategy.RestartStrategies";

    public static void main(String[] args) throws Exception {
        ClassLoader classLoader = FlinkFactoryOracle.class.getClassLoader();
        try (BufferedReader in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8);
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                String id = fields[0];
                Configuration config;
                try {
                    config = GlobalConfiguration.loadConfiguration(fields[1]);
                } catch (Throwable e) {
                    out.println(id + "\t\tLOAD_FAILED\t" + chain(e));
                    continue;
                }
                out.println(id + "\tSTATE_BACKEND\t"
                        + judge(() -> describe(StateBackendLoader.fromApplicationOrConfigOrDefault(
                                null, new Configuration(), config, classLoader, null))));
                out.println(id + "\tRESTART_STRATEGY\t" + judge(() -> restartStrategy(config)));
                out.println(id + "\tFAILOVER_STRATEGY\t"
                        + judge(() -> name(FailoverStrategyFactoryLoader.loadFailoverStrategyFactory(config))));
            }
        }
    }

    /** The restart strategy factory the JobManager builds for a job that sets none of its own. */
    private static String restartStrategy(Configuration cluster) throws Exception {
        // As the scheduler asks: checkpointing on when the configuration sets an interval (the default strategy
        // depends on it; a configured one does not).
        boolean checkpointing = cluster.containsKey("execution.checkpointing.interval");
        Class<?> loader = Class.forName(RESTART_LOADER);
        for (Method method : loader.getMethods()) {
            if (!method.getName().equals("createRestartBackoffTimeStrategyFactory")) {
                continue;
            }
            Object factory;
            if (method.getParameterCount() == 3) {
                factory = method.invoke(null, new Configuration(), cluster, checkpointing);
            } else if (method.getParameterCount() == 4) {
                // 1.x: the job's own RestartStrategyConfiguration first; "fall back to the configuration" is what a
                // job that sets none has.
                Object fallback = Class.forName(RESTART_STRATEGIES).getMethod("fallBackRestart").invoke(null);
                factory = method.invoke(null, fallback, new Configuration(), cluster, checkpointing);
            } else {
                continue;
            }
            return name(factory);
        }
        throw new IllegalStateException("no createRestartBackoffTimeStrategyFactory in " + RESTART_LOADER);
    }

    /** The backend's class, a delegating one's wrapped backend in brackets: `ChangelogStateBackend(HashMapStateBackend)`. */
    private static String describe(StateBackend backend) {
        if (backend == null) {
            return "null";
        }
        if (backend instanceof DelegatingStateBackend) {
            return name(backend) + "(" + describe(((DelegatingStateBackend) backend).getDelegatedStateBackend()) + ")";
        }
        return name(backend);
    }

    /** The class name without its package: `RestartPipelinedRegionFailoverStrategy$Factory`. */
    private static String name(Object value) {
        String name = value.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String judge(Callable<String> build) {
        try {
            return "OK\t" + clean(build.call());
        } catch (Throwable e) {
            Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            return "FAILED\t" + chain(cause);
        }
    }

    private static String chain(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (chain.length() > 0) {
                chain.append('\u001f');
            }
            chain.append(clean(t.getClass().getSimpleName() + ": " + t.getMessage()));
        }
        return chain.toString();
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ').replace('\u001f', ' ');
    }
}
