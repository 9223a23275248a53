package io.mlops.internal.pipeline;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.pipeline.Interpolator.FromCtx;
import io.mlops.internal.pipeline.Interpolator.ParseError;
import io.mlops.internal.pipeline.VarsContext.ContextError;
import io.mlops.internal.pipeline.VarsContext.KeyNotInContext;
import io.mlops.internal.pipeline.VarsContext.MergeError;
import io.mlops.internal.pipeline.VarsContext.ParamsLoadError;
import io.mlops.internal.pipeline.VarsContext.ReservedKeyError;
import io.mlops.internal.pipeline.VarsContext.VarsAlreadyLoaded;
import io.mlops.internal.yaml.LoadedYaml;
import io.mlops.internal.yaml.PyStr;
import io.mlops.internal.yaml.SourceLines;
import io.mlops.internal.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a dvc.yaml into a {@link Pipeline} the way DVC 3 does: schema validation ({@code dvc/schema.py}),
 * {@code vars} and {@code ${}} interpolation, {@code foreach}/{@code matrix} expansion
 * ({@code dvc/parsing}), then the stage loader's handling of deps, params ({@code _merge_params}) and
 * outs/metrics/plots ({@code _merge_data}).
 *
 * <p>Errors are {@link MlopsException}s naming the dvc.yaml and the line, with DVC's wording where DVC has one
 * (e.g. {@code failed to parse 'stages.train.cmd' in 'dvc.yaml': Could not find 'lr'}).
 */
public final class PipelineParser {
  /**
   * Options that DVC reads from its config.
   *
   * @param boolOptional {@code parsing.bool = boolean_optional}: a false bool in a dict expanded into cmd gives
   *     {@code --no-k}
   * @param listAppend {@code parsing.list = append}: a list in a dict expanded into cmd gives {@code --k a --k b}
   * @param log where warnings go (may be null)
   */
  public record Options(boolean boolOptional, boolean listAppend, EngineLog log) {
    public static Options defaults() {
      return new Options(false, false, null);
    }
  }

  private static final String DEFAULT_PARAMS_FILE = "params.yaml";

  private final Path repoRoot;
  private final Path dvcYaml;
  private final String relpath;
  private final String dvcDir;
  private final Options options;
  private final Interpolator.Config config;
  private LoadedYaml doc;
  private VarsContext context;
  /** Line of the string being interpolated, for errors (0 when none). */
  private int resolvingLine;
  /** Lines of resolved (interpolated) containers, copied from the raw ones. */
  private final SourceLines resolvedLines = new SourceLines();

  private PipelineParser(Path repoRoot, Path dvcYaml, Options options) {
    this.repoRoot = repoRoot.toAbsolutePath().normalize();
    this.dvcYaml = dvcYaml.isAbsolute() ? dvcYaml : repoRoot.resolve(dvcYaml);
    Path abs = this.dvcYaml.toAbsolutePath().normalize();
    if (!abs.startsWith(this.repoRoot)) {
      throw new MlopsException(
          "the pipeline file is outside the repository root " + this.repoRoot, this.dvcYaml, 0,
          "Pass a dvc.yaml inside the repository.");
    }
    String rel = this.repoRoot.relativize(abs).toString().replace('\\', '/');
    this.relpath = rel;
    int slash = rel.lastIndexOf('/');
    this.dvcDir = slash < 0 ? "" : rel.substring(0, slash);
    this.options = options == null ? Options.defaults() : options;
    this.config = new Interpolator.Config(this.options.boolOptional(), this.options.listAppend());
  }

  /**
   * Parses a dvc.yaml with default options.
   *
   * @param repoRoot the repository root (paths may not leave it)
   * @param dvcYaml the dvc.yaml inside {@code repoRoot}; a relative path is taken relative to {@code repoRoot}
   * @return the resolved stages (in file order, generated ones expanded) and top-level sections
   * @throws MlopsException naming the file and line on any syntax, schema, interpolation or path error
   */
  public static Pipeline parse(Path repoRoot, Path dvcYaml) {
    return parse(repoRoot, dvcYaml, Options.defaults());
  }

  /** Parses a dvc.yaml; see {@link #parse(Path, Path)}. */
  public static Pipeline parse(Path repoRoot, Path dvcYaml, Options options) {
    return new PipelineParser(repoRoot, dvcYaml, options).run();
  }

  // ---------------------------------------------------------------------------------------------------------
  // errors

  private MlopsException fail(String what, RuntimeException exc, int line) {
    boolean newline = exc instanceof ParseError || exc instanceof MergeError || exc instanceof VarsAlreadyLoaded;
    String msg = "failed to parse " + what + " in '" + relpath + "':" + (newline ? "\n" : " ") + exc.getMessage();
    // dvc.parsing.ResolveError, worded the same
    return new InvalidPipelineException(new MlopsException(msg, dvcYaml, line, hintFor(exc)), "ResolveError", msg,
        "");
  }

  private static String hintFor(RuntimeException exc) {
    if (exc instanceof KeyNotInContext) {
      return "Define the variable in params.yaml next to dvc.yaml or under 'vars', or fix its spelling"
          + " (write \\${ for a literal '${').";
    }
    if (exc instanceof ParseError p) {
      if (p.getMessage().startsWith("Cannot interpolate")) {
        return "Only strings, numbers, booleans and null can be put into a string"
            + " (a dictionary only into 'cmd'); use ${name.key} to pick one value.";
      }
      return "Use ${name}, ${name.key} or ${name[0]}; write \\${ for a literal '${'.";
    }
    if (exc instanceof MergeError) {
      return "Each variable may be defined only once across params.yaml and 'vars'; rename or remove one.";
    }
    if (exc instanceof VarsAlreadyLoaded) {
      return "Load each file either whole or by distinct keys.";
    }
    if (exc instanceof ReservedKeyError) {
      return "'item' and 'key' are set by foreach/matrix; use other names in 'vars'.";
    }
    if (exc instanceof ParamsLoadError) {
      return "Fix the file name or key in 'vars'.";
    }
    return null;
  }

  private MlopsException error(String message, int line, String hint) {
    return new MlopsException(message, dvcYaml, line, hint);
  }

  private void warn(String message) {
    if (options.log() != null) {
      options.log().warn(message);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // top level

  @SuppressWarnings("unchecked")
  private Pipeline run() {
    if (!Files.isRegularFile(dvcYaml)) {
      throw new MlopsException(
          Files.isDirectory(dvcYaml) ? "is a directory, expected a dvc.yaml file" : "file does not exist",
          dvcYaml, 0, "Check the path of the pipeline file.");
    }
    try {
      doc = YamlLoader.load(dvcYaml);
    } catch (MlopsException e) {
      // ruamel's errors become DVC's YAMLSyntaxError (dvc.utils.strictyaml.load)
      throw new InvalidPipelineException(e, "YAMLSyntaxError",
          "unable to read: '" + relpath + "', YAML file structure is corrupted", "");
    }
    Object root = doc.root();
    if (PyStr.falsy(root)) {
      root = new LinkedHashMap<String, Object>();
    }
    List<PipelineSchema.Violation> violations = PipelineSchema.validate(doc, root);
    if (!violations.isEmpty()) {
      throw schemaError(violations);
    }
    Map<String, Object> top = (Map<String, Object>) root;

    // DataResolver.__init__: vars
    List<Object> vars = (List<Object>) top.getOrDefault("vars", List.of());
    int varsLine = doc.line(top, "vars");
    checkInterpolations(vars, "vars", varsLine);
    context = new VarsContext(repoRoot);
    try {
      context.loadFromVars(List.of(), dvcDir, null, DEFAULT_PARAMS_FILE);
    } catch (ContextError e) {
      throw fail("'vars'", e, varsLine);
    }
    List<?> varsList = vars;
    for (int i = 0; i < varsList.size(); i++) {
      try {
        context.loadVarsItem(varsList.get(i), i, dvcDir, null);
      } catch (ContextError e) {
        throw fail("'vars'", e, doc.line(varsList, i));
      }
    }

    Map<String, Object> stagesData = (Map<String, Object>) top.get("stages");
    List<Definition> definitions = new ArrayList<>();
    if (stagesData != null) {
      for (Map.Entry<String, Object> e : stagesData.entrySet()) {
        Map<String, Object> def = (Map<String, Object>) e.getValue();
        int line = doc.line(stagesData, e.getKey());
        if (def.containsKey("matrix")) {
          definitions.add(new MatrixDefinition(e.getKey(), def, line));
        } else if (def.containsKey("foreach")) {
          definitions.add(new ForeachDefinition(e.getKey(), def, line));
        } else {
          definitions.add(new EntryDefinition(e.getKey(), def, line));
        }
      }
    }
    // like DVC's StageLoader: all names first (this resolves foreach/matrix data), then stage by stage
    for (Definition d : definitions) {
      d.prepare();
    }
    List<StageDef> stages = new ArrayList<>();
    for (Definition d : definitions) {
      d.resolveAll(stages);
    }

    List<String> params = new ArrayList<>();
    List<String> metrics = new ArrayList<>();
    List<Object> plots = new ArrayList<>();
    resolveTop(top, "params", v -> params.add(v instanceof String s ? s : PyStr.str(v)));
    resolveTop(top, "metrics", v -> metrics.add(v instanceof String s ? s : PyStr.str(v)));
    resolveTop(top, "plots", plots::add);
    return new Pipeline(relpath, List.copyOf(stages), List.copyOf(params), List.copyOf(metrics),
        java.util.Collections.unmodifiableList(plots));
  }

  private MlopsException schemaError(List<PipelineSchema.Violation> violations) {
    StringBuilder msg = new StringBuilder("'").append(relpath).append("' validation failed");
    if (violations.size() == 1) {
      msg.append(": ").append(violations.get(0).describe());
    } else {
      msg.append(": ").append(violations.size()).append(" errors");
      for (PipelineSchema.Violation v : violations) {
        msg.append("\n  ");
        if (v.line() > 0) {
          msg.append("line ").append(v.line()).append(": ");
        }
        msg.append(v.describe());
      }
    }
    MlopsException detail = error(
        msg.toString(),
        violations.get(0).line(),
        "See https://dvc.org/doc/user-guide/project-structure/dvcyaml-files for the dvc.yaml format.");
    return new InvalidPipelineException(detail, "YAMLValidationError",
        "'" + InvalidPipelineException.dotRelative(relpath) + "' validation failed",
        violations.size() > 1 ? ": " + violations.size() + " errors" : "");
  }

  private void resolveTop(Map<String, Object> top, String where, java.util.function.Consumer<Object> sink) {
    Object v = top.get(where);
    if (!(v instanceof List<?> list)) {
      return;
    }
    Interpolator in = new Interpolator(context, config);
    for (int i = 0; i < list.size(); i++) {
      int line = doc.line(list, i);
      resolvingLine = 0;
      try {
        Interpolator.checkRecursive(list.get(i));
        sink.accept(resolve(in, list.get(i), null, false, true, line));
      } catch (ParseError | ContextError e) {
        throw fail("'" + where + "." + i + "'", e, orElse(resolvingLine, line));
      }
    }
  }

  private void checkInterpolations(Object data, String where, int line) {
    if (containsInterpolation(data)) {
      throw error(
          "failed to parse '" + where + "' in '" + relpath + "': interpolating is not allowed",
          line,
          "'vars' entries are loaded before interpolation; write the values literally.");
    }
  }

  private static boolean containsInterpolation(Object data) {
    if (data instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .anyMatch(e -> containsInterpolation(e.getKey()) || containsInterpolation(e.getValue()));
    }
    if (data instanceof List<?> l) {
      return l.stream().anyMatch(PipelineParser::containsInterpolation);
    }
    return Interpolator.isInterpolated(data);
  }

  /** DVC's check_syntax_errors: each key's value must have well-formed {@code ${}} expressions. */
  private void checkSyntaxErrors(Map<String, Object> definition, String name) {
    for (Map.Entry<String, Object> e : definition.entrySet()) {
      try {
        Interpolator.checkRecursive(e.getValue());
      } catch (ParseError exc) {
        throw fail("'stages." + name + "." + e.getKey() + "'", exc, doc.line(definition, e.getKey()));
      }
    }
  }

  /**
   * Recursively interpolates {@code raw} (keys too, as DVC does), recording lines of the new containers.
   *
   * @param unwrap false for foreach/matrix data: exact {@code ${x}} values come back as {@link FromCtx}
   */
  private Object resolve(Interpolator in, Object raw, String key, boolean skipChecks, boolean unwrap, int line) {
    if (raw instanceof Map<?, ?> m) {
      LinkedHashMap<String, Object> out = new LinkedHashMap<>();
      int mapLine = orElse(doc.line(m), line);
      resolvedLines.container(out, mapLine);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String rawKey = String.valueOf(e.getKey());
        int keyLine = orElse(doc.line(m, rawKey), mapLine);
        Object k = resolve(in, rawKey, key, skipChecks, unwrap, keyLine);
        if (k instanceof FromCtx f) {
          k = f.value();
        }
        String ks = k instanceof String s ? s : PyStr.str(k);
        out.put(ks, resolve(in, e.getValue(), key, skipChecks, unwrap, keyLine));
        resolvedLines.key(out, ks, keyLine);
      }
      return out;
    }
    if (raw instanceof List<?> l) {
      ArrayList<Object> out = new ArrayList<>(l.size());
      int listLine = orElse(doc.line(l), line);
      resolvedLines.container(out, listLine);
      for (int i = 0; i < l.size(); i++) {
        int itemLine = orElse(doc.line(l, i), listLine);
        out.add(resolve(in, l.get(i), key, skipChecks, unwrap, itemLine));
        resolvedLines.item(out, i, itemLine);
      }
      return out;
    }
    if (raw instanceof String s) {
      resolvingLine = line;
      return in.resolveStr(s, unwrap, skipChecks, key);
    }
    return raw;
  }

  private static int orElse(int line, int fallback) {
    return line > 0 ? line : fallback;
  }

  // ---------------------------------------------------------------------------------------------------------
  // definitions (dvc/parsing/__init__.py)

  private abstract class Definition {
    final String name;
    final Map<String, Object> definition;
    final int line;

    Definition(String name, Map<String, Object> definition, int line) {
      this.name = name;
      this.definition = definition;
      this.line = line;
    }

    void prepare() {}

    abstract void resolveAll(List<StageDef> out);
  }

  private final class EntryDefinition extends Definition {
    EntryDefinition(String name, Map<String, Object> definition, int line) {
      super(name, definition, line);
    }

    @Override
    void resolveAll(List<StageDef> out) {
      Map<String, Object> resolved;
      try {
        resolved = resolveStage(name, definition, false, line);
      } catch (ContextError e) {
        throw fail("stage '" + name + "'", e, line);
      }
      out.add(buildStage(name, resolved, line));
    }
  }

  /** A key of a generated stage and the value for {@code item}. */
  private record Member(String key, Object value) {}

  private final class ForeachDefinition extends Definition {
    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private boolean isMapping;
    private boolean syntaxChecked;

    ForeachDefinition(String name, Map<String, Object> definition, int line) {
      super(name, definition, line);
    }

    @Override
    void prepare() {
      int foreachLine = doc.line(definition, "foreach");
      Object resolved;
      try {
        resolved = resolve(new Interpolator(context, config), definition.get("foreach"), null, false, false,
            foreachLine);
      } catch (ContextError | ParseError e) {
        throw fail("'stages." + name + ".foreach'", e, foreachLine);
      }
      boolean fromCtx = resolved instanceof FromCtx;
      Object iterable = fromCtx ? ((FromCtx) resolved).value() : resolved;
      if (!(iterable instanceof Map) && !(iterable instanceof List)) {
        throw error(
            "failed to resolve 'stages." + name + ".foreach' in '" + relpath + "': expected list/dictionary, got "
                + PyStr.typeName(iterable),
            foreachLine,
            "foreach takes a list, a mapping, or ${name} of one.");
      }
      isMapping = iterable instanceof Map;
      List<String> inserted = isMapping ? List.of("item", "key") : List.of("item");
      warnIfOverwriting(inserted, name);
      if (iterable instanceof Map<?, ?> m) {
        m.forEach((k, v) -> {
          String key = String.valueOf(k);
          members.put(key, new Member(key, deepUnwrap(v)));
        });
      } else {
        List<?> l = (List<?>) iterable;
        boolean composite = l.stream().map(PipelineParser::unwrapCtx).anyMatch(PipelineParser::isMapOrSeq);
        for (int i = 0; i < l.size(); i++) {
          Object v = l.get(i);
          String key = composite ? String.valueOf(i) : nameFragment(v, fromCtx);
          members.put(key, new Member(key, deepUnwrap(v)));
        }
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    void resolveAll(List<StageDef> out) {
      Map<String, Object> template = (Map<String, Object>) definition.get("do");
      for (Member member : members.values()) {
        Map<String, Object> temp = new LinkedHashMap<>();
        temp.put("item", member.value());
        if (isMapping) {
          temp.put("key", member.key());
        }
        Runnable restore = context.setTemporarily(temp);
        String generated = name + "@" + member.key();
        Map<String, Object> resolved;
        try {
          if (!syntaxChecked) {
            checkSyntaxErrors(template, name);
            syntaxChecked = true;
          }
          resolved = resolveStage(generated, template, true, line);
        } catch (ContextError e) {
          throw fail("stage '" + generated + "'", e, line);
        } finally {
          restore.run();
        }
        out.add(buildStage(generated, resolved, line));
      }
    }
  }

  private final class MatrixDefinition extends Definition {
    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private final Map<String, Object> template;
    private boolean syntaxChecked;

    MatrixDefinition(String name, Map<String, Object> definition, int line) {
      super(name, definition, line);
      template = new LinkedHashMap<>(definition);
      template.remove("matrix");
    }

    @Override
    void prepare() {
      int matrixLine = doc.line(definition, "matrix");
      Object resolved;
      try {
        resolved = resolve(new Interpolator(context, config), definition.get("matrix"), null, false, false,
            matrixLine);
      } catch (ContextError | ParseError e) {
        throw fail("'stages." + name + ".matrix'", e, matrixLine);
      }
      warnIfOverwriting(List.of("key", "item"), name);
      Map<?, ?> axes = (Map<?, ?>) resolved;
      if (axes.isEmpty()) {
        // DVC fails on this with an AssertionError
        throw error("failed to parse 'stages." + name + ".matrix' in '" + relpath + "': matrix has no axes",
            matrixLine, "Give the matrix at least one axis.");
      }
      List<String> names = new ArrayList<>();
      List<List<Object[]>> values = new ArrayList<>(); // per axis: {value, fromCtx}
      for (Map.Entry<?, ?> e : axes.entrySet()) {
        String axis = String.valueOf(e.getKey());
        names.add(axis);
        List<Object[]> vs = new ArrayList<>();
        Object v = e.getValue();
        boolean fromCtx = v instanceof FromCtx;
        Object raw = fromCtx ? ((FromCtx) v).value() : v;
        if (raw instanceof List<?> l) {
          for (Object o : l) {
            vs.add(new Object[] {deepUnwrap(o), fromCtx || o instanceof FromCtx});
          }
        } else if (raw instanceof Map<?, ?> m) {
          for (Object k : m.keySet()) {
            vs.add(new Object[] {k, fromCtx});
          }
        } else if (raw instanceof String s && !fromCtx) {
          s.codePoints().forEach(cp -> vs.add(new Object[] {new String(Character.toChars(cp)), false}));
        } else {
          throw error(
              "failed to parse 'stages." + name + ".matrix' in '" + relpath + "': axis '" + axis
                  + "' must be a list, got " + PyStr.typeName(raw),
              orElse(doc.line((Map<?, ?>) definition.get("matrix"), axis), matrixLine),
              "Give each matrix axis a list of values, or ${name} of a list.");
        }
        values.add(vs);
      }
      product(names, values, 0, new LinkedHashMap<>(), new ArrayList<>());
    }

    private void product(List<String> names, List<List<Object[]>> values, int axis,
        LinkedHashMap<String, Object> current, List<String> fragments) {
      if (axis == names.size()) {
        String key = String.join("-", fragments);
        members.put(key, new Member(key, new LinkedHashMap<>(current)));
        return;
      }
      List<Object[]> vs = values.get(axis);
      for (int i = 0; i < vs.size(); i++) {
        Object v = vs.get(i)[0];
        boolean fromCtx = (Boolean) vs.get(i)[1];
        current.put(names.get(axis), v);
        fragments.add(isMapOrSeq(v) ? names.get(axis) + i : nameFragment(v, fromCtx));
        product(names, values, axis + 1, current, fragments);
        fragments.remove(fragments.size() - 1);
        current.remove(names.get(axis));
      }
    }

    @Override
    void resolveAll(List<StageDef> out) {
      for (Member member : members.values()) {
        Map<String, Object> temp = new LinkedHashMap<>();
        temp.put("key", member.key());
        temp.put("item", member.value());
        Runnable restore = context.setTemporarily(temp);
        String generated = name + "@" + member.key();
        Map<String, Object> resolved;
        try {
          if (!syntaxChecked) {
            checkSyntaxErrors(template, name);
            syntaxChecked = true;
          }
          resolved = resolveStage(generated, template, true, line);
        } catch (ContextError e) {
          throw fail("stage '" + generated + "'", e, line);
        } finally {
          restore.run();
        }
        out.add(buildStage(generated, resolved, line));
      }
    }
  }

  private void warnIfOverwriting(List<String> keys, String name) {
    List<String> warnFor = keys.stream().filter(context::contains).toList();
    if (!warnFor.isEmpty()) {
      warn(String.join(" and ", warnFor) + (warnFor.size() == 1 ? " is" : " are")
          + " already specified, will be overwritten for stages generated from '" + name + "'");
    }
  }

  private static Object unwrapCtx(Object v) {
    return v instanceof FromCtx f ? f.value() : v;
  }

  /** Removes {@link FromCtx} wrappers at any depth (foreach/matrix data resolved with unwrap=False). */
  private static Object deepUnwrap(Object v) {
    Object u = unwrapCtx(v);
    if (u instanceof Map<?, ?> m) {
      LinkedHashMap<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(k), deepUnwrap(val)));
      return out;
    }
    if (u instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(deepUnwrap(x)));
      return out;
    }
    return u;
  }

  private static boolean isMapOrSeq(Object v) {
    return v instanceof Map || v instanceof List;
  }

  /**
   * The name fragment of a foreach/matrix value: DVC's {@code to_str} (bools as true/false) for values written in
   * dvc.yaml, but Python {@code str()} (True/False) for values taken from the context with {@code ${...}}.
   */
  private static String nameFragment(Object v, boolean fromCtx) {
    Object value = unwrapCtx(v);
    boolean ctx = fromCtx || v instanceof FromCtx;
    if (value instanceof Boolean b && !ctx) {
      return b ? "true" : "false";
    }
    return PyStr.str(value);
  }

  /** DVC's EntryDefinition.resolve_stage. Throws ContextError for the caller to wrap. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> resolveStage(String name, Map<String, Object> definition, boolean skipChecks,
      int stageLine) {
    if (!skipChecks) {
      checkSyntaxErrors(definition, name);
    }
    VarsContext ctx = context;
    String wdir = resolveWdir(ctx, name, definition);
    List<Object> vars = (List<Object>) definition.getOrDefault("vars", List.of());
    int varsLine = orElse(doc.line(definition, "vars"), stageLine);
    checkInterpolations(vars, "stages." + name + ".vars", varsLine);
    if (!vars.isEmpty()) {
      ctx = ctx.copy();
    }
    for (int i = 0; i < vars.size(); i++) {
      try {
        ctx.loadVarsItem(vars.get(i), i, wdir, name);
      } catch (VarsAlreadyLoaded e) {
        throw fail("'stages." + name + ".vars'", e, orElse(doc.line(vars, i), varsLine));
      } catch (ContextError e) {
        throw fail("stage '" + name + "'", e, orElse(doc.line(vars, i), varsLine));
      }
    }
    Interpolator in = new Interpolator(ctx, config);
    LinkedHashMap<String, Object> resolved = new LinkedHashMap<>();
    resolvedLines.container(resolved, stageLine);
    for (Map.Entry<String, Object> e : definition.entrySet()) {
      String key = e.getKey();
      if (key.equals("vars")) {
        continue;
      }
      int keyLine = orElse(doc.line(definition, key), stageLine);
      resolvingLine = 0;
      try {
        resolved.put(key, resolve(in, e.getValue(), key, skipChecks, true, keyLine));
      } catch (ParseError | KeyNotInContext exc) {
        throw fail("'stages." + name + "." + key + "'", exc, orElse(resolvingLine, keyLine));
      }
      resolvedLines.key(resolved, key, keyLine);
    }
    return resolved;
  }

  private String resolveWdir(VarsContext ctx, String name, Map<String, Object> definition) {
    Object wdir = definition.get("wdir");
    if (!(wdir instanceof String s) || s.isEmpty()) {
      return dvcDir;
    }
    int line = doc.line(definition, "wdir");
    try {
      Interpolator in = new Interpolator(ctx, config);
      return PosixPaths.join(dvcDir, in.toStr(in.resolveStr(s, true, false, null)));
    } catch (ContextError | ParseError e) {
      throw fail("'stages." + name + ".wdir'", e, line);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // stage loading (dvc/stage/loader.py, dvc/dependency/__init__.py, dvc/output.py)

  private int lineIn(Object container, Object keyOrIndex, int fallback) {
    int l = 0;
    if (container instanceof Map<?, ?> m && keyOrIndex instanceof String k) {
      l = resolvedLines.line(m, k);
    } else if (container instanceof List<?> list && keyOrIndex instanceof Integer i) {
      l = resolvedLines.line(list, i);
    }
    return orElse(l, fallback);
  }

  private StageDef buildStage(String name, Map<String, Object> data, int stageLine) {
    String where = "stage '" + name + "' in '" + relpath + "'";

    Object cmdValue = data.get("cmd");
    int cmdLine = lineIn(data, "cmd", stageLine);
    Object cmd;
    if (cmdValue instanceof String s) {
      cmd = s;
    } else if (cmdValue instanceof List<?> l) {
      List<String> cmds = new ArrayList<>(l.size());
      for (Object o : l) {
        if (o instanceof Map || o instanceof List) {
          throw error(where + ": 'cmd' entries must be strings, got " + PyStr.typeName(o), cmdLine,
              "Write each command as a string.");
        }
        cmds.add(o instanceof String s ? s : PyStr.str(o));
      }
      cmd = List.copyOf(cmds);
    } else {
      throw error(where + ": 'cmd' must be a string or a list of strings, got " + PyStr.typeName(cmdValue),
          cmdLine, "Write the command as a string, or a list of strings.");
    }

    Object wdirValue = data.get("wdir");
    String wdir = wdirValue == null || "".equals(wdirValue) ? "." : (wdirValue instanceof String s ? s : PyStr.str(wdirValue));
    String base = PosixPaths.join(dvcDir, wdir);
    checkWdir(wdir, base, where, lineIn(data, "wdir", stageLine));

    List<String> deps = new ArrayList<>();
    Object depsValue = data.get("deps");
    if (depsValue instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        int line = lineIn(l, i, lineIn(data, "deps", stageLine));
        if (!(l.get(i) instanceof String p)) {
          throw error(where + ": dependency must be a path string, got " + PyStr.typeName(l.get(i)), line,
              "Write the dependency as a path.");
        }
        checkPath(p, base, "dependency", where, line, true);
        deps.add(p);
      }
    }

    List<ParamsDep> params = mergeParams(data.get("params"), base, where, lineIn(data, "params", stageLine));

    List<OutDef> outs = new ArrayList<>();
    for (String kind : List.of("outs", "metrics", "plots")) {
      if (data.containsKey(kind)) {
        loadOuts(data.get(kind), kind, base, where, lineIn(data, kind, stageLine), outs);
      }
    }

    boolean frozen = Boolean.TRUE.equals(data.get("frozen"));
    boolean alwaysChanged = Boolean.TRUE.equals(data.get("always_changed"));
    Object descValue = data.get("desc");
    String desc = descValue == null ? null : descValue instanceof String s ? s : PyStr.str(descValue);
    return new StageDef(name, relpath, wdir, cmd, List.copyOf(deps), List.copyOf(params), List.copyOf(outs),
        frozen, alwaysChanged, desc, stageLine);
  }

  private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
  private static final Pattern WINDOWS_ABS = Pattern.compile("^([A-Za-z]:)?[\\\\/].*");

  /** Rejects URLs, absolute paths and paths leaving the repository (DVC allows some as external deps/outs). */
  private void checkPath(String path, String base, String what, String where, int line, boolean dep) {
    if (dep && path.startsWith("ds://")) {
      return;
    }
    if (path.isEmpty()) {
      throw error(where + ": empty " + what + " path", line, "Give a path relative to the stage's wdir.");
    }
    if (URL.matcher(path).matches()) {
      throw error(where + ": " + what + " '" + path + "' is a URL; external " + what
              + " locations are not supported", line,
          "Use a path inside the repository (import external data first).");
    }
    if (WINDOWS_ABS.matcher(path).matches() || path.matches("^[A-Za-z]:.*") || Path.of(path).isAbsolute()) {
      throw error(where + ": " + what + " '" + path + "' is an absolute path", line,
          "Use a path relative to the stage's wdir, inside the repository.");
    }
    String full = PosixPaths.normpath(PosixPaths.join(base, path));
    if (full.equals("..") || full.startsWith("../") || full.startsWith("/")) {
      throw error(where + ": " + what + " '" + path + "' is outside the repository root", line,
          "Use a path inside the repository.");
    }
  }

  private void checkWdir(String wdir, String base, String where, int line) {
    if (WINDOWS_ABS.matcher(wdir).matches() || wdir.matches("^[A-Za-z]:.*") || Path.of(wdir).isAbsolute()) {
      throw error(where + ": wdir '" + wdir + "' is an absolute path", line,
          "Use a wdir relative to the directory of dvc.yaml, inside the repository.");
    }
    String full = PosixPaths.normpath(base);
    if (full.equals("..") || full.startsWith("../")) {
      throw error(where + ": wdir '" + wdir + "' is outside the repository root", line,
          "Use a wdir inside the repository.");
    }
  }

  /** DVC's {@code _merge_params} then one ParamsDep per file. */
  private List<ParamsDep> mergeParams(Object value, String base, String where, int line) {
    if (value == null) {
      return List.of();
    }
    List<?> list = (List<?>) value;
    java.util.Set<String> whollyTracked = new java.util.HashSet<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> m) {
        m.forEach((k, params) -> {
          if (PyStr.falsy(params)) {
            whollyTracked.add(String.valueOf(k));
          }
        });
      }
    }
    LinkedHashMap<String, List<String>> d = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      int itemLine = lineIn(list, i, line);
      if (item instanceof String key) {
        if (!whollyTracked.contains(DEFAULT_PARAMS_FILE)) {
          d.computeIfAbsent(DEFAULT_PARAMS_FILE, f -> new ArrayList<>()).add(key);
        }
        continue;
      }
      if (!(item instanceof Map<?, ?> m)) {
        throw error(where + ": Only list of str/dict is supported. Got: '" + PyStr.typeName(item) + "'.",
            itemLine, "List parameter names, or 'file: [names]' entries.");
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String file = String.valueOf(e.getKey());
        int keyLine = orElse(resolvedLines.line(m, file), itemLine);
        if (whollyTracked.contains(file)) {
          d.put(file, new ArrayList<>());
          continue;
        }
        if (!(e.getValue() instanceof List<?> keys)) {
          throw error(where + ": Expected list of params for custom params file '" + file + "', got '"
                  + PyStr.typeName(e.getValue()) + "'.", keyLine,
              "Write '" + file + ": [name1, name2]', or '" + file + ":' alone to track the whole file.");
        }
        List<String> target = d.computeIfAbsent(file, f -> new ArrayList<>());
        for (Object k : keys) {
          if (!(k instanceof String ks)) {
            throw error(where + ": parameter names in '" + file + "' must be strings, got "
                    + PyStr.typeName(k), keyLine, "Quote the parameter name.");
          }
          target.add(ks);
        }
      }
    }
    List<ParamsDep> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : d.entrySet()) {
      checkPath(e.getKey(), base, "params file", where, line, false);
      out.add(new ParamsDep(e.getKey(), List.copyOf(e.getValue()), e.getValue().isEmpty()));
    }
    return out;
  }

  /** DVC's {@code _merge_data} and {@code load_from_pipeline}. */
  private void loadOuts(Object value, String kind, String base, String where, int line, List<OutDef> out) {
    if (value == null) {
      return;
    }
    List<?> list = (List<?>) value;
    LinkedHashMap<String, LinkedHashMap<String, Object>> merged = new LinkedHashMap<>();
    LinkedHashMap<String, Integer> lines = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      int itemLine = lineIn(list, i, line);
      if (item instanceof String p) {
        merged.computeIfAbsent(p, k -> new LinkedHashMap<>());
        lines.putIfAbsent(p, itemLine);
        continue;
      }
      if (!(item instanceof Map<?, ?> m)) {
        throw error(where + ": '" + PyStr.typeName(item) + "' not supported in '" + kind + "'.", itemLine,
            "List paths, or 'path: {flags}' entries.");
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String p = String.valueOf(e.getKey());
        if (!(e.getValue() instanceof Map<?, ?> flags)) {
          throw error(where + ": Expected dict for '" + p + "', got: '" + PyStr.typeName(e.getValue()) + "'",
              itemLine, "Write the options of '" + p + "' as a mapping.");
        }
        LinkedHashMap<String, Object> target = merged.computeIfAbsent(p, k -> new LinkedHashMap<>());
        flags.forEach((fk, fv) -> target.put(String.valueOf(fk), fv));
        lines.putIfAbsent(p, itemLine);
      }
    }
    OutDef.Kind k = switch (kind) {
      case "metrics" -> OutDef.Kind.METRIC;
      case "plots" -> OutDef.Kind.PLOT;
      default -> OutDef.Kind.OUT;
    };
    for (Map.Entry<String, LinkedHashMap<String, Object>> e : merged.entrySet()) {
      String p = e.getKey();
      Map<String, Object> flags = e.getValue();
      checkPath(p, base, "output", where, lines.get(p), false);
      Map<String, Object> plotOptions = new LinkedHashMap<>();
      if (k == OutDef.Kind.PLOT) {
        for (String prop : PipelineSchema.PLOT_PROP_KEYS) {
          if (flags.containsKey(prop)) {
            plotOptions.put(prop, flags.get(prop));
          }
        }
      }
      out.add(new OutDef(
          p,
          k,
          !Boolean.FALSE.equals(flags.getOrDefault("cache", true)),
          Boolean.TRUE.equals(flags.get("persist")),
          !Boolean.FALSE.equals(flags.getOrDefault("push", true)),
          asString(flags.get("remote")),
          asString(flags.get("desc")),
          java.util.Collections.unmodifiableMap(plotOptions)));
    }
  }

  private static String asString(Object v) {
    return v == null ? null : v instanceof String s ? s : PyStr.str(v);
  }
}
