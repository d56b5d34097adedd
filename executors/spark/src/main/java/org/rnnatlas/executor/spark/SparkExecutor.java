package org.rnnatlas.executor.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.rnnatlas.core.exec.UnitRunners;
import org.rnnatlas.spi.ExecutionListener;
import org.rnnatlas.spi.Executor;
import org.rnnatlas.spi.UnitRunner;
import org.rnnatlas.spi.WorkUnit;
import org.rnnatlas.store.hadoop.HadoopFileSystemProvider;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs work units as one Spark job: {@code parallelize(units, units.size())}, so every unit is its own task and the
 * cluster's scheduler spreads them over its executors' cores (the {@code parallelism} argument is not used). Each
 * task instantiates the {@link UnitRunner} by name and runs its unit, catching any exception, so one failing unit
 * never aborts the job; the task returns {@code (unit id, ok, message)} and the driver reports each unit as its
 * task ends. Units are atomic in the store, so a task Spark retries after losing an executor, or a job
 * re-submitted after a crash, redoes only what is missing.
 *
 * <p>Options: {@code master} (e.g. {@code local[2]}, {@code spark://host:7077}, {@code yarn}; default: the
 * {@code spark.master} the JVM was started with, as under {@code spark-submit}, else {@code local[*]}), and any
 * {@code spark.*} key, passed to the {@link SparkConf} as it is (e.g. {@code spark.executor.memory=4g}). Executors
 * get {@code --add-modules jdk.incubator.vector} unless {@code spark.executor.extraJavaOptions} is given. An already
 * running Spark context (spark-submit, a notebook) is used as it is; one this executor started is stopped by
 * {@link #close()}. The workers need rnnatlas-core and the plugins the units name on their class path (the same
 * jars as the driver; in {@code local[N]} they share the driver's JVM).
 */
public final class SparkExecutor implements Executor {
    /** The executor's name for {@code --executor}. */
    public static final String NAME = "spark";
    static final String MASTER = "master";

    private final Map<String, String> options;
    private SparkContext started;

    public SparkExecutor() {
        this(Map.of());
    }

    private SparkExecutor(Map<String, String> options) {
        this.options = Map.copyOf(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Apache Spark: one task per unit on local[N] or a cluster (option master=URL, and spark.* settings)";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> all = new TreeMap<>(options);
        all.putIfAbsent(MASTER, defaultMaster());
        return all;
    }

    private static String defaultMaster() {
        return System.getProperty("spark.master", "local[*]");
    }

    @Override
    public Executor configure(Map<String, String> opts) {
        for (var e : opts.entrySet()) {
            if (!e.getKey().equals(MASTER) && !e.getKey().startsWith("spark.")) {
                throw new IllegalArgumentException("Unknown option '" + e.getKey() + "' of executor spark. Allowed:"
                        + " master=URL (local[N], spark://host:port, yarn, k8s://...) and spark.* settings");
            }
            if (e.getValue().isBlank()) {
                throw new IllegalArgumentException("Option '" + e.getKey() + "' of executor spark is empty");
            }
        }
        Map<String, String> merged = new HashMap<>(options);
        merged.putAll(opts);
        return new SparkExecutor(merged);
    }

    private synchronized SparkContext context() {
        if (started != null && !started.isStopped()) {
            return started;
        }
        SparkConf conf = new SparkConf().setAppName("rnnatlas").setMaster(options().get(MASTER))
                // rnnatlas reports progress itself; no web UI port to pick on a shared login node
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
        for (var e : options.entrySet()) {
            if (e.getKey().startsWith("spark.")) {
                conf.set(e.getKey(), e.getValue());
            }
        }
        boolean existed = org.apache.spark.SparkContext$.MODULE$.getActive().isDefined();
        SparkContext sc = SparkContext.getOrCreate(conf);
        if (!existed) {
            sc.setLogLevel("WARN");
            started = sc;
        }
        return sc;
    }

    /** What a task sends back for one unit. */
    record Outcome(String unitId, boolean ok, String message) implements Serializable {
    }

    @Override
    public Result execute(List<WorkUnit> units, String runnerClassName, int parallelism, ExecutionListener listener)
            throws InterruptedException {
        if (units.isEmpty()) {
            return new Result(0, List.of());
        }
        Map<String, WorkUnit> byId = new HashMap<>();
        for (WorkUnit u : units) {
            if (byId.put(u.id(), u) != null) {
                throw new IllegalArgumentException("Two work units share the id '" + u.id() + "'");
            }
        }
        SparkContext sc = context();
        // a store on a Hadoop filesystem (hdfs://, s3a://, ...) is opened with Spark's Hadoop settings: on the driver
        // its own configuration, on the workers the spark.hadoop.* entries, shipped with the task
        HadoopFileSystemProvider.setConfiguration(sc.hadoopConfiguration());
        Map<String, String> hadoop = new TreeMap<>();
        for (scala.Tuple2<String, String> e : sc.getConf().getAllWithPrefix("spark.hadoop.")) {
            hadoop.put(e._1(), e._2());
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        RDD<WorkUnit> rdd = jsc.parallelize(units, units.size()).rdd();
        Map<String, Outcome> outcomes = new HashMap<>();
        AbstractFunction2<Object, Outcome[], BoxedUnit> onResult = new AbstractFunction2<>() {
            @Override
            public BoxedUnit apply(Object partition, Outcome[] results) {
                // runs on the driver as each task ends
                for (Outcome o : results) {
                    WorkUnit u = byId.get(o.unitId());
                    synchronized (outcomes) {
                        outcomes.put(o.unitId(), o);
                    }
                    listener.finished(u, o.ok(), o.message());
                }
                return BoxedUnit.UNIT;
            }
        };
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            partitions.add(i);
        }
        sc.setJobDescription("rnnatlas: " + units.size() + " units (" + units.getFirst().kind() + ", ...)");
        SimpleFutureAction<BoxedUnit> job = sc.submitJob(rdd, new RunUnits(runnerClassName, hadoop),
                scala.jdk.javaapi.CollectionConverters.asScala(partitions).toSeq(), onResult,
                new AbstractFunction0<>() {
                    @Override
                    public BoxedUnit apply() {
                        return BoxedUnit.UNIT;
                    }
                });
        String jobError = null;
        try {
            while (!job.isCompleted()) {
                Thread.sleep(50);
            }
            job.get();
        } catch (InterruptedException e) {
            job.cancel();
            throw e;
        } catch (Exception e) {
            // the job itself failed (a task failed too often, e.g. executors kept dying): units without an outcome
            // are reported as failed; a rerun redoes them
            jobError = "Spark job failed: " + e;
        }
        List<Failure> failures = new ArrayList<>();
        int succeeded = 0;
        synchronized (outcomes) {
            for (WorkUnit u : units) {
                Outcome o = outcomes.get(u.id());
                if (o == null) {
                    String why = jobError != null ? jobError : "Spark returned no result for this unit";
                    failures.add(new Failure(u, why));
                    listener.finished(u, false, why);
                } else if (o.ok()) {
                    succeeded++;
                } else {
                    failures.add(new Failure(u, o.message()));
                }
            }
        }
        return new Result(succeeded, failures);
    }

    /** The task body: runs each unit of its partition (one, here), never letting an exception escape. */
    static final class RunUnits extends AbstractFunction1<Iterator<WorkUnit>, Outcome[]> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String runnerClassName;
        private final Map<String, String> hadoop;

        RunUnits(String runnerClassName, Map<String, String> hadoop) {
            this.runnerClassName = runnerClassName;
            this.hadoop = Map.copyOf(hadoop);
        }

        @Override
        public Outcome[] apply(Iterator<WorkUnit> it) {
            List<Outcome> out = new ArrayList<>();
            if (!hadoop.isEmpty()) {
                org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
                hadoop.forEach(conf::set);
                HadoopFileSystemProvider.setConfiguration(conf);
            }
            UnitRunner runner = null;
            String cannot = null;
            try {
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                runner = UnitRunners.instantiate(runnerClassName, cl == null ? RunUnits.class.getClassLoader() : cl);
            } catch (RuntimeException e) {
                cannot = e.toString();
            }
            while (it.hasNext()) {
                WorkUnit u = it.next();
                if (runner == null) {
                    out.add(new Outcome(u.id(), false, cannot));
                    continue;
                }
                try {
                    String m = runner.run(u);
                    out.add(new Outcome(u.id(), true, m == null ? "" : m));
                } catch (Exception e) {
                    out.add(new Outcome(u.id(), false, e.toString()));
                }
            }
            return out.toArray(new Outcome[0]);
        }
    }

    @Override
    public synchronized void close() {
        if (started != null) {
            started.stop();
            started = null;
        }
    }
}
