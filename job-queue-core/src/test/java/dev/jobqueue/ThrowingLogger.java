package dev.jobqueue;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;

/** A logger whose info() throws: the one way left to make start() fail after its threads started. */
final class ThrowingLogger {
    private ThrowingLogger() {
    }

    static Logger create() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("info")) {
                        throw new IllegalStateException("injected: logging failed");
                    }
                    if (method.getReturnType() == boolean.class) {
                        return false;
                    }
                    switch (method.getName()) {
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                        case "getName":
                            return "throwing";
                        default:
                            break;
                    }
                    return null;
                });
    }
}
