package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;

import java.lang.reflect.RecordComponent;
import java.util.Map;

/** "What if" runs: {@code --set trapHitWeight=0.5} replaces one engine setting (allowRanges excepted). */
final class ConfigOverrides {

    private ConfigOverrides() {
    }

    static EngineConfig apply(EngineConfig base, Map<String, String> overrides) {
        EngineConfig out = base;
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            out = out.withValue(o.getKey(), parse(o.getKey(), o.getValue()));
        }
        return out;
    }

    private static Object parse(String name, String v) {
        for (RecordComponent p : EngineConfig.class.getRecordComponents()) {
            if (p.getName().equals(name)) {
                Class<?> t = p.getType();
                if (t == double.class) {
                    return Double.parseDouble(v);
                } else if (t == long.class) {
                    return Long.parseLong(v);
                } else if (t == int.class) {
                    return Integer.parseInt(v);
                } else if (t == boolean.class) {
                    return Boolean.parseBoolean(v);
                }
                throw new IllegalArgumentException("cannot set " + name);
            }
        }
        throw new IllegalArgumentException("no engine setting named " + name);
    }
}
