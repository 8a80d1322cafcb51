package io.metricsagent.reflection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Entries in the order they were added. */
@Listed(value = "catalog", rank = 1)
public class Catalog<T extends Comparable<? super T>> implements Iterable<T> {

    @Listed("items")
    private final List<@Sized(max = 100) T> items = new ArrayList<>();
    private int lookups;

    @Listed("add")
    public <S extends T> Catalog<T> add(@Listed("item") S item, int copies) throws IllegalStateException {
        for (int i = 0; i < copies; i++) {
            items.add(item);
        }
        return this;
    }

    public Optional<T> first(Predicate<? super T> filter, @Deprecated int skip) {
        return items.stream().filter(filter).skip(skip).findFirst();
    }

    @Deprecated
    public int size() {
        return items.size();
    }

    public int lookups() {
        return lookups;
    }

    @Override
    public Iterator<T> iterator() {
        return new Cursor();
    }

    /** A member of the catalog's nest: it reads and writes the catalog's private fields. */
    public final class Cursor implements Iterator<T> {
        @Listed("position")
        private int position;

        @Override
        public boolean hasNext() {
            return position < items.size();
        }

        @Override
        public T next() {
            lookups++;
            return items.get(position++);
        }
    }

    public record Entry(@Listed("name") String name, List<@Sized String> tags) implements Comparable<Entry> {

        public Entry {
            tags = List.copyOf(tags);
        }

        @Override
        public int compareTo(Entry other) {
            return name.compareTo(other.name);
        }
    }

    public sealed interface Shelf permits Top, Bottom {
        int level(int floor);
    }

    public static final class Top implements Shelf {
        @Override
        public int level(int floor) {
            return floor + 1;
        }
    }

    public static final class Bottom implements Shelf {
        @Override
        public int level(int floor) {
            return floor;
        }
    }
}
