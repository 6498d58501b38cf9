package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/** "What if" runs: {@code --set trapHitWeight=0.5} replaces one engine setting (allowRanges excepted). */
final class ConfigOverrides {

    private ConfigOverrides() {
    }

    static EngineConfig apply(EngineConfig base, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return base;
        }
        try {
            RecordComponent[] parts = EngineConfig.class.getRecordComponents();
            Object[] values = new Object[parts.length];
            Class<?>[] types = new Class<?>[parts.length];
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                values[i] = parts[i].getAccessor().invoke(base);
                String v = overrides.get(parts[i].getName());
                if (v == null) {
                    continue;
                }
                if (types[i] == double.class) {
                    values[i] = Double.parseDouble(v);
                } else if (types[i] == long.class) {
                    values[i] = Long.parseLong(v);
                } else if (types[i] == int.class) {
                    values[i] = Integer.parseInt(v);
                } else {
                    throw new IllegalArgumentException("cannot set " + parts[i].getName());
                }
            }
            for (String k : overrides.keySet()) {
                boolean known = false;
                for (RecordComponent p : parts) {
                    known |= p.getName().equals(k);
                }
                if (!known) {
                    throw new IllegalArgumentException("no engine setting named " + k);
                }
            }
            Constructor<EngineConfig> c = EngineConfig.class.getDeclaredConstructor(types);
            return c.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
