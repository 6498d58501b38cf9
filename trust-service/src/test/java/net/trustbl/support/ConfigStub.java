package net.trustbl.support;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A config mapping for unit tests without Quarkus: each method answers the value named after it (null when none). */
public final class ConfigStub {

    private ConfigStub() {
    }

    public static <T> T of(Class<T> mapping, Map<String, ?> values) {
        return mapping.cast(Proxy.newProxyInstance(mapping.getClassLoader(), new Class<?>[]{mapping},
                (proxy, method, args) -> values.get(method.getName())));
    }
}
