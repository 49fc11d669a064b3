package dev.graft.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML into {@link YamlNode}s with positions, using Jackson's streaming parser. Strict
 * where YAML is loose: duplicate keys, aliases and several documents are errors, not silently
 * resolved, because each hides what the user actually meant.
 */
final class YamlReader {
  /** No configuration file is this big; refusing giant input keeps a hostile file harmless. */
  static final long MAX_BYTES = 1 << 20;

  /** Configuration is a few levels deep; a deeper document is refused before recursion can hurt. */
  static final int MAX_DEPTH = 64;

  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  private YamlReader() {}

  /** Reads a file; {@code displayName} is how errors name it (e.g. "graft.yaml"). */
  static YamlNode readFile(Path file, String displayName) {
    return read(displayName, readText(file, displayName));
  }

  /** A configuration file's text, refusing missing, giant or non-UTF-8 files with a problem naming them. */
  static String readText(Path file, String displayName) {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw problem(SourcePos.of(displayName), "file is " + size + " bytes; a configuration file is at most "
            + MAX_BYTES + " bytes");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw problem(SourcePos.of(displayName), "file not found: " + file.toAbsolutePath());
    } catch (java.nio.charset.MalformedInputException e) {
      throw problem(SourcePos.of(displayName), "file is not UTF-8 text: " + file.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML text; an empty document is an empty mapping. */
  static YamlNode read(String displayName, String text) {
    JsonParser p = null;
    try {
      p = FACTORY.createParser(text);
      JsonToken first = p.nextToken();
      if (first == null) {
        return new YamlNode.MapNode(new SourcePos(displayName, 1, 1), Map.of());
      }
      YamlNode root = readValue(p, displayName);
      if (p.nextToken() != null) {
        throw problem(pos(p, displayName), "several YAML documents ('---') in one file; keep one");
      }
      return root;
    } catch (StreamConstraintsException e) {
      throw problem(p == null ? SourcePos.of(displayName) : pos(p, displayName),
          "nested more than " + MAX_DEPTH + " levels deep; graft's configuration is never that deep");
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      SourcePos at = loc == null ? SourcePos.of(displayName) : new SourcePos(displayName,
          Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
      throw problem(at, "not valid YAML: " + firstLine(e.getOriginalMessage()) + hint(text, at.line()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      closeQuietly(p);
    }
  }

  /** Inside [ ] or { }, YAML reads '{' as a mapping: the usual cause with graft's {arch} refs. */
  private static String hint(String text, int line) {
    String l = line > 0 ? text.lines().skip(line - 1).findFirst().orElse("") : "";
    return l.contains("{arch}") ? " (put quotes around references with {arch} inside [ ] or { }, e.g. "
        + "[\"ghcr.io/acme/{arch}-app\"])" : "";
  }

  private static void closeQuietly(JsonParser p) {
    if (p != null) {
      try {
        p.close();
      } catch (IOException e) {
        // reading a String: nothing to release
      }
    }
  }

  private static YamlNode readValue(JsonParser p, String file) throws IOException {
    SourcePos at = pos(p, file);
    if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
      throw problem(at, "YAML aliases (*" + p.getText() + ") are not supported; write the value out");
    }
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        List<ConfigProblem> dupes = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          SourcePos keyPos = pos(p, file);
          p.nextToken();
          YamlNode value = readValue(p, file);
          YamlNode.Entry previous = entries.putIfAbsent(key, new YamlNode.Entry(keyPos, value));
          if (previous != null) {
            dupes.add(ConfigProblem.at(keyPos, key, "duplicate key '" + key + "' (first at line "
                + previous.keyPos().line() + ")"));
          }
        }
        if (!dupes.isEmpty()) {
          throw new ConfigException(dupes);
        }
        return new YamlNode.MapNode(at, entries);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p, file));
        }
        return new YamlNode.ListNode(at, items);
      }
      case VALUE_STRING -> {
        return new YamlNode.Scalar(at, YamlNode.ScalarType.STRING, p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return new YamlNode.Scalar(at, YamlNode.ScalarType.INT, p.getText());
      }
      case VALUE_NUMBER_FLOAT -> {
        return new YamlNode.Scalar(at, YamlNode.ScalarType.FLOAT, p.getText());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new YamlNode.Scalar(at, YamlNode.ScalarType.BOOLEAN, p.getText());
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar(at, YamlNode.ScalarType.NULL, "");
      }
      default -> throw problem(at, "unexpected YAML content (" + t + ")");
    }
  }

  private static SourcePos pos(JsonParser p, String file) {
    JsonLocation loc = p.currentTokenLocation();
    return new SourcePos(file, Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
  }

  private static ConfigException problem(SourcePos at, String message) {
    return new ConfigException(List.of(ConfigProblem.at(at, "", message)));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    String line = message.strip().lines().findFirst().orElse("syntax error");
    return line;
  }
}
