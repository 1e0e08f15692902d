using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClinicianPortal.Shared.Inference.Models;

/// <summary>
/// What a model is, where it came from and what it is for: one JSON file beside each .onnx file in the
/// models folder (a model card). The registry refuses a model whose file does not hash to <see cref="Sha256"/>.
/// </summary>
public sealed record ModelManifest
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    /// <summary>What the model does, e.g. "differential-diagnosis".</summary>
    public required string Task { get; init; }
    /// <summary>The .onnx file, relative to the manifest's folder.</summary>
    public required string File { get; init; }
    /// <summary>Lower-case hex SHA-256 of the .onnx file.</summary>
    public required string Sha256 { get; init; }
    public IReadOnlyList<ManifestTensor> Inputs { get; init; } = [];
    public IReadOnlyList<ManifestTensor> Outputs { get; init; } = [];
    /// <summary>How the model was trained or compiled (data, code, commit) so that it can be rebuilt.</summary>
    public string Source { get; init; } = "";
    public string IntendedUse { get; init; } = "";
    public IReadOnlyList<string> OutOfScopeUses { get; init; } = [];
    public IReadOnlyList<string> Limitations { get; init; } = [];
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Reads and checks a manifest; the message of the exception says what is wrong.</summary>
    public static ModelManifest Parse(string json)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The manifest is not valid JSON for a model manifest: {e.Message}", e);
        }
        if (manifest is null) throw new InvalidDataException("The manifest is empty.");
        manifest.Validate();
        return manifest;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id)) problems.Add("id is empty");
        if (string.IsNullOrWhiteSpace(Version)) problems.Add("version is empty");
        if (string.IsNullOrWhiteSpace(Task)) problems.Add("task is empty");
        if (string.IsNullOrWhiteSpace(File) || Path.IsPathRooted(File) || File.Split('/', '\\').Contains(".."))
            problems.Add("file must be a path inside the models folder");
        if (Sha256 is null || Sha256.Length != 64 || !Sha256.All(Uri.IsHexDigit)) problems.Add("sha256 must be 64 hex digits");
        if (Inputs.Count == 0) problems.Add("inputs are not declared");
        if (Outputs.Count == 0) problems.Add("outputs are not declared");
        if (problems.Count > 0) throw new InvalidDataException("The manifest is incomplete: " + string.Join("; ", problems) + ".");
    }
}

/// <summary>A declared input or output: name, element type and shape (-1 for a free dimension such as the batch).</summary>
public sealed record ManifestTensor(string Name, TensorElementType ElementType, IReadOnlyList<long> Shape);
