package org.rnnatlas.core.exec;

import java.lang.reflect.InvocationTargetException;
import org.rnnatlas.spi.UnitRunner;

/** Instantiating {@link UnitRunner}s by class name, as every executor does on its workers. */
public final class UnitRunners {
    private UnitRunners() {
    }

    /**
     * A new instance of the named runner, loaded through {@code loader}.
     *
     * @throws IllegalArgumentException when the class is missing, is not a {@link UnitRunner}, or has no public
     *                                  no-arg constructor
     */
    public static UnitRunner instantiate(String className, ClassLoader loader) {
        Class<?> cls;
        try {
            cls = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Unit runner class " + className + " is not on this worker's class"
                    + " path; ship the jar that holds it (rnnatlas-core for the built-in runners)", e);
        }
        if (!UnitRunner.class.isAssignableFrom(cls)) {
            throw new IllegalArgumentException("Class " + className + " does not implement " + UnitRunner.class.getName());
        }
        try {
            return (UnitRunner) cls.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new IllegalArgumentException("Unit runner " + className + " needs a public no-arg constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Unit runner " + className + " failed in its constructor: "
                    + e.getCause(), e.getCause());
        }
    }
}
