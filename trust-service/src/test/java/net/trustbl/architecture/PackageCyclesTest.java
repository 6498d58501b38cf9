package net.trustbl.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packages depend one way (issue 17): within each module, no package cycle of any length. A
 * package uses another when one of its files imports or names one of that package's classes
 * (Java allows no other way), so reading the sources is exact. No cycle is known any more: the
 * gateway's older one (smtp, filter, proxy, intake, reload, console, dns) was broken by moving the
 * types its packages share below them (stats, budget, protocol, transaction), so any cycle fails.
 */
class PackageCyclesTest {

    private static final Path REPO = locateRepo();
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(net\\.trustbl(?:\\.[a-z0-9_]+)+)\\.[A-Z*]");

    /** Cycles that predate this test, by module; each may only lose packages. None are left. */
    private static final Map<String, Set<String>> KNOWN = Map.of();

    @Test
    void noModuleHasAPackageCycleBeyondTheKnownOnes() throws IOException {
        List<String> modules = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(REPO)) {
            dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).forEach(d -> modules.add(d.getFileName().toString()));
        }
        assertTrue(modules.containsAll(List.of("trust-service", "trust-engine", "dns-responder", "smtp-gateway")), modules.toString());
        Map<String, List<Set<String>>> found = new TreeMap<>();
        for (String module : modules) {
            for (Set<String> cycle : cycles(usesOf(REPO.resolve(module).resolve("src/main/java")))) {
                Set<String> known = KNOWN.getOrDefault(module, Set.of());
                if (!known.containsAll(cycle)) {
                    found.computeIfAbsent(module, k -> new ArrayList<>()).add(cycle);
                }
            }
        }
        assertEquals(Map.of(), found, "package cycles (split a package or invert a dependency)");
    }

    @Test
    void theCheckSeesACycle() {
        Map<String, Set<String>> uses = new HashMap<>();
        uses.put("a", Set.of("b"));
        uses.put("b", Set.of("c"));
        uses.put("c", Set.of("a"));
        uses.put("d", Set.of("a"));
        assertEquals(List.of(new TreeSet<>(Set.of("a", "b", "c"))), cycles(uses));
        assertTrue(usesOf(REPO.resolve("trust-service/src/main/java")).getOrDefault("net.trustbl.report", Set.of())
                .contains("net.trustbl.journal"), "reports go through the journal: the reader sees that edge");
    }

    /** For every package of a source tree, the packages of the same tree it uses. */
    static Map<String, Set<String>> usesOf(Path sourceRoot) {
        Map<String, String> textByFile = new HashMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> textByFile.put(f.toString(), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> packageOf = new HashMap<>();
        textByFile.forEach((file, text) -> {
            Matcher m = PACKAGE.matcher(text);
            packageOf.put(file, m.find() ? m.group(1) : "");
        });
        Set<String> packages = new TreeSet<>(packageOf.values());
        Map<String, Set<String>> uses = new TreeMap<>();
        textByFile.forEach((file, text) -> {
            String from = packageOf.get(file);
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) {
                String to = m.group(1);
                if (!to.equals(from) && packages.contains(to)) {
                    uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        });
        return uses;
    }

    /** Strongly connected components of more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> result = new ArrayList<>();
        for (String v : new TreeSet<>(uses.keySet())) {
            if (!index.containsKey(v)) {
                visit(v, uses, index, low, stack, onStack, result);
            }
        }
        return result;
    }

    private static void visit(String v, Map<String, Set<String>> uses, Map<String, Integer> index, Map<String, Integer> low,
                              Deque<String> stack, Set<String> onStack, List<Set<String>> result) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : uses.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                visit(w, uses, index, low, stack, onStack, result);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                result.add(component);
            }
        }
    }

    private static String read(Path file) {
        try {
            return COMMENT.matcher(Files.readString(file)).replaceAll("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the first folder upwards that holds the parent pom and the trust-engine module. */
    private static Path locateRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("trust-engine")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return dir;
    }
}
