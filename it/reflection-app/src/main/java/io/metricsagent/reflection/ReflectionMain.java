package io.metricsagent.reflection;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Loads its classes at start and prints {@code ready}, then runs one command per stdin line and
 * prints {@code done <line>} after it:
 * <ul>
 *   <li>{@code describe}: what reflection sees of every class, each line prefixed {@code reflect };</li>
 *   <li>{@code use <n>}: n entries added to the catalog, then one call each of {@code size},
 *       {@code first}, the first entry's {@code name} and the ledger's {@code record}.</li>
 * </ul>
 */
public final class ReflectionMain {

    private static final List<Class<?>> CLASSES = List.of(Catalog.class, Catalog.Cursor.class, Catalog.Entry.class,
            Catalog.Shelf.class, Catalog.Top.class, Catalog.Bottom.class, Ledger.class, Listed.class, Sized.class);

    private ReflectionMain() {}

    public static void main(String[] args) throws Exception {
        Catalog<Catalog.Entry> catalog = new Catalog<>();
        Ledger ledger = new Ledger();
        Catalog.Shelf shelf = new Catalog.Top();
        // Every class is loaded, and its code run, before an agent may be attached.
        catalog.add(new Catalog.Entry("first", List.of("new")), 1);
        for (Catalog.Entry entry : catalog) {
            ledger.record(shelf.level(entry.name().length()) + new Catalog.Bottom().level(0), entry.tags().get(0));
        }
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "describe":
                    for (Class<?> type : CLASSES) {
                        for (String description : Reflection.describe(type)) {
                            System.out.println("reflect " + description);
                        }
                    }
                    break;
                case "use":
                    int n = Integer.parseInt(words[1]);
                    for (int i = 0; i < n; i++) {
                        catalog.add(new Catalog.Entry("entry-" + i, List.of("tag")), 1);
                    }
                    catalog.size();
                    String name = catalog.first(entry -> true, 0).orElseThrow().name();
                    ledger.record(n, name);
                    break;
                default:
                    System.out.println("unknown command " + line);
            }
            System.out.println("done " + line);
        }
    }
}
