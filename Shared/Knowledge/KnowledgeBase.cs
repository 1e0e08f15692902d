using System.Collections.ObjectModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClinicianPortal.Shared.Knowledge;

/// <summary>
/// The loaded, validated knowledge base with its lookups. Load it once and share it: it is immutable.
/// </summary>
public sealed class KnowledgeBase
{
    private const string ResourcePrefix = "ClinicianPortal.Shared.Knowledge.Data.";

    private readonly Dictionary<string, Condition> _conditions;
    private readonly Dictionary<string, Finding> _findings;
    private readonly Dictionary<string, DiagnosticTest> _tests;
    private readonly Dictionary<string, Reference> _references;
    private readonly Dictionary<string, Condition> _byName;
    private readonly Dictionary<string, Condition?> _byBareName;

    public KnowledgeBase(IEnumerable<Condition> conditions, IEnumerable<Finding> findings,
        IEnumerable<DiagnosticTest> tests, IEnumerable<Reference> references)
    {
        Conditions = conditions.ToArray().AsReadOnly();
        Findings = findings.ToArray().AsReadOnly();
        Tests = tests.ToArray().AsReadOnly();
        References = references.ToArray().AsReadOnly();
        // First one wins on duplicates; the validator reports them.
        _conditions = Index(Conditions, c => c.Id);
        _findings = Index(Findings, f => f.Id);
        _tests = Index(Tests, t => t.Id);
        _references = Index(References, r => r.Id);
        _byName = new Dictionary<string, Condition>(StringComparer.Ordinal);
        _byBareName = new Dictionary<string, Condition?>(StringComparer.Ordinal);
        foreach (var c in Conditions)
        {
            foreach (var name in NamesOf(c))
            {
                var key = ConditionNames.Normalize(name);
                _byName.TryAdd(key, c);
                // A bare name shared by two conditions is ambiguous: remember that it matches none.
                var bare = ConditionNames.WithoutQualifiers(key);
                if (bare.Length == 0) continue;
                if (_byBareName.TryGetValue(bare, out var other)) { if (!ReferenceEquals(other, c)) _byBareName[bare] = null; }
                else _byBareName[bare] = c;
            }
        }
    }

    public IReadOnlyList<Condition> Conditions { get; }
    public IReadOnlyList<Finding> Findings { get; }
    public IReadOnlyList<DiagnosticTest> Tests { get; }
    public IReadOnlyList<Reference> References { get; }

    public Condition? Condition(string id) => _conditions.GetValueOrDefault(id);
    public Finding? Finding(string id) => _findings.GetValueOrDefault(id);
    public DiagnosticTest? Test(string id) => _tests.GetValueOrDefault(id);
    public Reference? Reference(string id) => _references.GetValueOrDefault(id);

    /// <summary>Name and synonyms of a condition (the name first).</summary>
    public static IEnumerable<string> NamesOf(Condition condition) => [condition.Name, .. condition.Synonyms];

    /// <summary>
    /// The condition whose name or a synonym equals <paramref name="name"/> after normalisation (case,
    /// punctuation, British/American spelling, plurals, common abbreviations). If none, a parenthesised
    /// part is tried on its own and the name without it ("Chronic lymphocytic leukemia (CLL)"); then the
    /// name without generic qualifiers ("Meniere disease" = "Meniere"), when that is unambiguous.
    /// </summary>
    public Condition? FindByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var candidates = new List<string> { name };
        var open = name.IndexOf('(', StringComparison.Ordinal);
        var close = name.LastIndexOf(')');
        if (open >= 0 && close > open)
        {
            candidates.Add(name[..open] + " " + name[(close + 1)..]);
            candidates.Add(name[(open + 1)..close]);
        }
        var keys = candidates.Select(ConditionNames.Normalize).Where(k => k.Length > 0).ToList();
        foreach (var key in keys)
            if (_byName.TryGetValue(key, out var hit)) return hit;
        foreach (var key in keys)
            if (_byBareName.GetValueOrDefault(ConditionNames.WithoutQualifiers(key)) is { } bare) return bare;
        return null;
    }

    /// <summary>The knowledge base shipped in this assembly (Shared/Knowledge/Data), validated.</summary>
    public static KnowledgeBase LoadEmbedded()
    {
        var assembly = typeof(KnowledgeBase).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0) throw new KnowledgeBaseException("No embedded knowledge-base files were found.");
        var files = new List<(string, Stream)>();
        try
        {
            foreach (var n in names)
                files.Add((n[ResourcePrefix.Length..], assembly.GetManifestResourceStream(n)!));
            return Load(files);
        }
        finally
        {
            foreach (var (_, s) in files) s.Dispose();
        }
    }

    /// <summary>Every *.json file under <paramref name="directory"/> (recursively), validated.</summary>
    public static KnowledgeBase LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new KnowledgeBaseException($"Knowledge-base directory '{directory}' does not exist.");
        var paths = Directory.GetFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (paths.Count == 0) throw new KnowledgeBaseException($"No *.json files in '{directory}'.");
        var files = paths.Select(p => (Path.GetRelativePath(directory, p), (Stream)File.OpenRead(p))).ToList();
        try { return Load(files); }
        finally { foreach (var (_, s) in files) s.Dispose(); }
    }

    /// <summary>One knowledge base from one stream (a single file holding every section).</summary>
    public static KnowledgeBase Load(Stream stream, string name = "knowledge.json") => Load([(name, stream)]);

    /// <summary>
    /// Reads the files (each may hold any of the sections conditions/findings/tests/references), merges
    /// them and validates the whole. Throws <see cref="KnowledgeBaseException"/> listing every problem.
    /// </summary>
    public static KnowledgeBase Load(IEnumerable<(string Name, Stream Content)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var parts = new List<KnowledgeFile>();
        foreach (var (name, content) in files) parts.Add(Read(name, content));
        var kb = new KnowledgeBase(parts.SelectMany(p => p.Conditions), parts.SelectMany(p => p.Findings),
            parts.SelectMany(p => p.Tests), parts.SelectMany(p => p.References));
        var result = new KnowledgeBaseValidator().Validate(kb);
        if (!result.IsValid)
            throw new KnowledgeBaseException("The knowledge base is invalid:" + Environment.NewLine
                + string.Join(Environment.NewLine, result.Errors.Select(e => " - " + e.ErrorMessage)));
        return kb;
    }

    private static KnowledgeFile Read(string name, Stream content)
    {
        try
        {
            return JsonSerializer.Deserialize<KnowledgeFile>(content, JsonOptions)
                ?? throw new KnowledgeBaseException($"{name}: the file is empty (null).");
        }
        catch (JsonException e)
        {
            throw new KnowledgeBaseException($"{name}: {e.Message}", e);
        }
    }

    /// <summary>The JSON options of the data files: camelCase, kebab-case enums, unknown members rejected.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new ReadOnlyListConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var d = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items) d.TryAdd(key(item), item);
        return d;
    }
}

/// <summary>A knowledge base that cannot be read or is invalid; the message says where and why.</summary>
public sealed class KnowledgeBaseException : Exception
{
    public KnowledgeBaseException(string message) : base(message) { }
    public KnowledgeBaseException(string message, Exception inner) : base(message, inner) { }
    public KnowledgeBaseException() { }
}

/// <summary>Reads JSON arrays into read-only lists, so a loaded model cannot be changed by a cast.</summary>
internal sealed class ReadOnlyListConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(ReadOnlyListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]),
            BindingFlags.Instance | BindingFlags.Public, null, null, null)!;

    private sealed class ReadOnlyListConverter<T> : JsonConverter<IReadOnlyList<T>>
    {
        public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var list = JsonSerializer.Deserialize<List<T>>(ref reader, options)
                ?? throw new JsonException("A list may not be null.");
            if (list.Any(item => item is null)) throw new JsonException("A list may not contain null.");
            return new ReadOnlyCollection<T>(list);
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToList(), options);
    }
}
