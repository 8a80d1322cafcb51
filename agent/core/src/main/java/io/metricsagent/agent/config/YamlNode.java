package io.metricsagent.agent.config;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * A YAML document as the configuration reads it: mappings, lists and scalars as text, each with
 * its line. Built from SnakeYAML's parser events rather than by its composer, whose node tags,
 * implicit-type resolver (regular expressions compiled at class initialization) and tag
 * compatibility map (which loads {@code java.sql} and the JDK's image reader) would all load in
 * premain, before the application's first class, for values read here as text anyway.
 * {@link BlockYaml} builds the same trees without SnakeYAML, for the block YAML config files are
 * written in.
 */
final class YamlNode {

    enum Kind { SCALAR, SEQUENCE, MAPPING }

    /** A mistake in the document's structure that the parser leaves to whoever composes it. */
    static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int line;

        Problem(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    final Kind kind;
    /** From 1, as messages name it. */
    final int line;
    /** A scalar's text; {@code null} for a collection. */
    final String text;
    /** A sequence's elements, or a mapping's keys and values, alternately. */
    private final List<YamlNode> items;

    YamlNode(Kind kind, int line, String text, List<YamlNode> items) {
        this.kind = kind;
        this.line = line;
        this.text = text;
        this.items = items;
    }

    /** A sequence's elements. */
    List<YamlNode> elements() {
        return items;
    }

    /** A mapping's entries, in the document's order (a key given twice, twice). */
    List<Map.Entry<YamlNode, YamlNode>> entries() {
        List<Map.Entry<YamlNode, YamlNode>> entries = new ArrayList<>(items.size() / 2);
        for (int i = 0; i < items.size(); i += 2) {
            entries.add(Map.entry(items.get(i), items.get(i + 1)));
        }
        return entries;
    }

    /**
     * The stream's one document, or {@code null} when it holds none.
     *
     * @throws Problem for an alias to no anchor (or to the collection it is in), or a second document
     * @throws YAMLException for too many aliases to collections
     * @throws org.yaml.snakeyaml.error.MarkedYAMLException for what the parser finds wrong
     */
    static YamlNode read(Reader in, LoaderOptions options) {
        Parser parser = new ParserImpl(new StreamReader(in), options);
        parser.getEvent();
        if (parser.checkEvent(Event.ID.StreamEnd)) {
            return null;
        }
        parser.getEvent();
        Composing composing = new Composing(parser, options.getMaxAliasesForCollections(), options.getNestingDepthLimit());
        YamlNode root = composing.node();
        parser.getEvent();
        if (!parser.checkEvent(Event.ID.StreamEnd)) {
            throw new Problem(line(parser.getEvent()), "but found another document");
        }
        return root;
    }

    private static int line(Event event) {
        return event.getStartMark().getLine() + 1;
    }

    /** One document's nodes as the events come, with its anchors. */
    private static final class Composing {
        private final Parser parser;
        private final int maxCollectionAliases;
        /** As SnakeYAML's composer has it: collections are read by recursion, which a deep file would overflow. */
        private final int maxDepth;
        private final Map<String, YamlNode> anchors = new HashMap<>();
        private int collectionAliases;
        private int depth;

        Composing(Parser parser, int maxCollectionAliases, int maxDepth) {
            this.parser = parser;
            this.maxCollectionAliases = maxCollectionAliases;
            this.maxDepth = maxDepth;
        }

        YamlNode node() {
            Event event = parser.getEvent();
            if (event instanceof AliasEvent) {
                String anchor = ((AliasEvent) event).getAnchor();
                YamlNode node = anchors.get(anchor);
                if (node == null) {
                    throw new Problem(line(event), "found undefined alias " + anchor);
                }
                if (node.kind != Kind.SCALAR && ++collectionAliases > maxCollectionAliases) {
                    // What SnakeYAML's composer throws, without a line: a bomb of aliases is not a typo.
                    throw new YAMLException("Number of aliases for non-scalar nodes exceeds the specified max="
                            + maxCollectionAliases);
                }
                return node;
            }
            YamlNode node;
            if (event instanceof ScalarEvent) {
                node = new YamlNode(Kind.SCALAR, line(event), ((ScalarEvent) event).getValue(), List.of());
            } else {
                Kind kind = event.is(Event.ID.SequenceStart) ? Kind.SEQUENCE : Kind.MAPPING;
                Event.ID end = kind == Kind.SEQUENCE ? Event.ID.SequenceEnd : Event.ID.MappingEnd;
                if (++depth > maxDepth) {
                    throw new Problem(line(event), "collections are nested deeper than " + maxDepth);
                }
                List<YamlNode> items = new ArrayList<>();
                // Anchored once read: an alias to it from inside itself finds no anchor, so that
                // nothing recursive is built.
                while (!parser.checkEvent(end)) {
                    items.add(node());
                }
                parser.getEvent();
                depth--;
                node = new YamlNode(kind, line(event), null, items);
            }
            String anchor = ((NodeEvent) event).getAnchor();
            if (anchor != null) {
                anchors.put(anchor, node);
            }
            return node;
        }
    }
}
