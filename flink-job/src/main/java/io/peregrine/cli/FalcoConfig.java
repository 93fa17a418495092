package io.peregrine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A falco.yaml-shaped configuration: the file given with {@code -c} (none by default), then each
 * {@code -o key=value} override in order, as Falco applies them ({@code a.b=v} sets key {@code b}
 * of mapping {@code a}; {@code a[0].b=v} indexes a list). Values from {@code -o} stay strings; the
 * readers accept both.
 */
public final class FalcoConfig {

    private final Map<String, Object> root;

    private FalcoConfig(Map<String, Object> root) {
        this.root = root;
    }

    public static FalcoConfig empty() {
        return new FalcoConfig(new LinkedHashMap<>());
    }

    /**
     * Reads a falco.yaml file.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is not a mapping
     */
    @SuppressWarnings("unchecked")
    public static FalcoConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not read configuration file " + file + ": " + e.getMessage(), e);
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Could not parse configuration file " + file + ": " + e.getMessage(), e);
        }
        if (doc == null) {
            return empty();
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("Configuration file " + file + " is not a YAML mapping");
        }
        return new FalcoConfig(new LinkedHashMap<>((Map<String, Object>) doc));
    }

    /**
     * Applies one {@code -o key=value}.
     *
     * @throws IllegalArgumentException when it has no '=' or the key path is malformed
     */
    @SuppressWarnings("unchecked")
    public void override(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("Error parsing config option \"" + assignment
                    + "\". Must be of the form key=val or key.subkey=val");
        }
        String[] path = assignment.substring(0, eq).split("\\.");
        String value = assignment.substring(eq + 1);
        Object node = root;
        for (int i = 0; i < path.length; i++) {
            boolean last = i == path.length - 1;
            String key = path[i];
            int index = -1;
            int bracket = key.indexOf('[');
            if (bracket > 0 && key.endsWith("]")) {
                index = Integer.parseInt(key.substring(bracket + 1, key.length() - 1));
                key = key.substring(0, bracket);
            }
            Map<String, Object> map = (Map<String, Object>) node;
            if (index < 0) {
                if (last) {
                    map.put(key, value);
                } else {
                    Object child = map.get(key);
                    if (!(child instanceof Map<?, ?>)) {
                        child = new LinkedHashMap<String, Object>();
                        map.put(key, child);
                    }
                    node = child;
                }
                continue;
            }
            Object list = map.get(key);
            if (!(list instanceof List<?>)) {
                list = new ArrayList<>();
                map.put(key, list);
            }
            List<Object> items = (List<Object>) list;
            while (items.size() <= index) {
                items.add(new LinkedHashMap<String, Object>());
            }
            if (last) {
                items.set(index, value);
            } else {
                if (!(items.get(index) instanceof Map<?, ?>)) {
                    items.set(index, new LinkedHashMap<String, Object>());
                }
                node = items.get(index);
            }
        }
    }

    /** The whole configuration, as parsed and overridden. */
    public Map<String, Object> asMap() {
        return root;
    }

    /** A top-level value as text, or {@code dflt}. */
    public String string(String key, String dflt) {
        Object v = root.get(key);
        return v == null ? dflt : v.toString();
    }

    /** A top-level mapping, or an empty one. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String key) {
        Object v = root.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
