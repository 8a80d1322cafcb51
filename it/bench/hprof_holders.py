#!/usr/bin/env python3
"""What holds the heap that grew between two heap dumps of the same JVM (`jcmd PID GC.heap_dump`).

Objects move between dumps, so they are not matched one by one: each object is named by the path
the collector would keep it alive by (the shortest from a GC root, as classes and field names,
repeated steps folded: `HashMap$Node.next` chains, array slots), and the objects and bytes under
each path are compared. The paths that gained the most come first, and with them the classes that
were loaded in between.

  python3 it/bench/hprof_holders.py BEFORE.hprof AFTER.hprof [--top 25] [--steps 14]
"""
import argparse, collections, struct, sys

BASIC_SIZES = {2: None, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
BASIC_NAMES = {4: "boolean", 5: "char", 6: "float", 7: "double", 8: "byte", 9: "short", 10: "int", 11: "long"}
ROOT_BODIES = {0xFF: 0, 0x01: 1, 0x02: 8, 0x03: 8, 0x04: 4, 0x05: 0, 0x06: 4, 0x07: 0, 0x08: 8}
ROOT_KINDS = {0xFF: "unknown", 0x01: "JNI global", 0x02: "JNI local", 0x03: "Java frame", 0x04: "native stack",
              0x05: "system class", 0x06: "thread block", 0x07: "monitor", 0x08: "thread"}


class Heap:
    """One dump: every object's class, size (64-bit, compressed references) and references."""

    def __init__(self, path):
        data = open(path, "rb").read()
        at = data.index(b"\0") + 1
        self.id_size = struct.unpack_from(">I", data, at)[0]
        at += 12
        self.ids = ">" + {4: "I", 8: "Q"}[self.id_size]
        self.strings, class_names = {}, {}
        self.class_of, self.size, self.refs = {}, {}, {}
        self.fields, self.supers = {}, {}
        self.roots = []
        pending = []
        while at < len(data):
            tag, length = data[at], struct.unpack_from(">I", data, at + 5)[0]
            body = at + 9
            if tag == 0x01:
                self.strings[self.read_id(data, body)] = data[body + self.id_size:body + length].decode("utf-8", "replace")
            elif tag == 0x02:
                class_names[self.read_id(data, body + 4)] = self.read_id(data, body + 8 + self.id_size)
            elif tag in (0x0C, 0x1C):
                self.heap_records(data, body, body + length, pending)
            at = body + length
        self.class_name = {c: self.strings.get(n, "?").replace("/", ".") for c, n in class_names.items()}
        for obj, cls, values in pending:
            self.refs[obj], self.size[obj] = self.instance_refs(cls, values)

    def read_id(self, data, at):
        return struct.unpack_from(self.ids, data, at)[0]

    @staticmethod
    def each(data, at, entry):
        """Reads a u2 count and that many entries, each read by `entry` (which returns where the next begins)."""
        count = struct.unpack_from(">H", data, at)[0]
        at += 2
        for _ in range(count):
            at = entry(at)
        return at

    def heap_records(self, data, at, end, pending):
        n = self.id_size
        while at < end:
            sub = data[at]
            at += 1
            if sub in ROOT_BODIES:
                self.roots.append((self.read_id(data, at), ROOT_KINDS[sub]))
                at += n + ROOT_BODIES[sub] * (n if sub == 0x01 else 1)
            elif sub == 0x20:
                cls, sup, loader = self.read_id(data, at), self.read_id(data, at + 4 + n), self.read_id(data, at + 4 + 2 * n)
                at += 7 * n + 8
                at = self.each(data, at, lambda at: at + 3 + (BASIC_SIZES[data[at + 2]] or n))
                statics = []
                def static(at):
                    if data[at + n] == 2:
                        statics.append((self.read_id(data, at), self.read_id(data, at + n + 1)))
                    return at + n + 1 + (BASIC_SIZES[data[at + n]] or n)
                at = self.each(data, at, static)
                fields = []
                def field(at):
                    fields.append((self.read_id(data, at), data[at + n]))
                    return at + n + 1
                at = self.each(data, at, field)
                self.supers[cls], self.fields[cls] = sup, fields
                self.class_of[cls], self.size[cls] = None, 0
                self.refs[cls] = [(self.strings.get(name, "?"), value) for name, value in statics if value]
                if loader:
                    self.refs[cls].append(("<loader>", loader))
            elif sub == 0x21:
                obj, cls, length = self.read_id(data, at), self.read_id(data, at + 4 + n), struct.unpack_from(">I", data, at + 4 + 2 * n)[0]
                at += 8 + 2 * n
                pending.append((obj, cls, data[at:at + length]))
                self.class_of[obj] = cls
                at += length
            elif sub == 0x22:
                obj, count, cls = self.read_id(data, at), struct.unpack_from(">I", data, at + 4 + n)[0], self.read_id(data, at + 8 + n)
                at += 8 + 2 * n
                elements = struct.unpack_from(">" + self.ids[1] * count, data, at)
                self.class_of[obj], self.size[obj] = cls, align(16 + 4 * count)
                self.refs[obj] = [("[]", e) for e in elements if e]
                at += count * n
            elif sub == 0x23:
                obj, count, kind = self.read_id(data, at), struct.unpack_from(">I", data, at + 4 + n)[0], data[at + 8 + n]
                at += 9 + n
                self.class_of[obj], self.size[obj] = BASIC_NAMES[kind] + "[]", align(16 + BASIC_SIZES[kind] * count)
                self.refs[obj] = []
                at += BASIC_SIZES[kind] * count
            else:
                raise SystemExit(f"unknown heap dump record 0x{sub:02x}")

    def instance_refs(self, cls, values):
        refs, at, size = [], 0, 12
        while cls:
            for name, kind in self.fields.get(cls, ()):
                if kind == 2:
                    value = self.read_id(values, at)
                    if value:
                        refs.append((self.strings.get(name, "?"), value))
                    at += self.id_size
                    size += 4
                else:
                    at += BASIC_SIZES[kind]
                    size += BASIC_SIZES[kind]
            cls = self.supers.get(cls)
        return refs, align(size)

    def name(self, obj):
        cls = self.class_of.get(obj)
        if cls is None:
            return "class " + self.class_name.get(obj, "?")
        if isinstance(cls, str):
            return cls
        return self.class_name.get(cls, "?")

    def holder_paths(self, steps):
        """Each reachable object's path from a root, folded and cut to the last `steps` steps."""
        path = {}
        queue = collections.deque()
        for obj, kind in self.roots:
            if obj in self.refs and obj not in path:
                path[obj] = ("<" + kind + "> " + self.name(obj),)
                queue.append(obj)
        while queue:
            obj = queue.popleft()
            for field, target in self.refs[obj]:
                if target in self.refs and target not in path:
                    step = f".{field} -> {self.name(target)}" if field != "[]" else f"[] -> {self.name(target)}"
                    folded = path[obj] if path[obj][-1] == step else path[obj] + (step,)
                    path[target] = folded
                    queue.append(target)
        for obj in self.refs:
            # Held by what the dump does not list as a root (the string table, a class's constant pool).
            path.setdefault(obj, ("<no root in the dump>", self.name(obj)))
        return {obj: (p[:1] + ("...",) + p[-steps:]) if len(p) > steps + 1 else p for obj, p in path.items()}


def align(size):
    return (size + 7) & ~7


def totals(heap, steps):
    by_path = collections.defaultdict(lambda: [0, 0])
    for obj, path in heap.holder_paths(steps).items():
        by_path[path][0] += 1
        by_path[path][1] += heap.size.get(obj, 0)
    return by_path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--steps", type=int, default=14, help="path steps kept, counted back from the object")
    args = parser.parse_args()
    before, after = Heap(args.before), Heap(args.after)
    old, new = totals(before, args.steps), totals(after, args.steps)
    grown = sorted(((new.get(p, [0, 0])[1] - old.get(p, [0, 0])[1], new.get(p, [0, 0])[0] - old.get(p, [0, 0])[0], p)
                    for p in set(old) | set(new)), reverse=True)
    print(f"objects: {sum(v[0] for v in old.values())} objects, {sum(v[1] for v in old.values()) // 1024} KiB"
          f" -> {sum(v[0] for v in new.values())} objects, {sum(v[1] for v in new.values()) // 1024} KiB")
    for size, count, path in grown[:args.top]:
        print(f"\n{size:+,} bytes, {count:+,} objects:\n  " + "\n  ".join(path))
    loaded = sorted(set(after.class_name.values()) - set(before.class_name.values()))
    print(f"\nclasses loaded in between: {len(loaded)}")
    for name in loaded:
        print("  " + name)


if __name__ == "__main__":
    sys.exit(main())
