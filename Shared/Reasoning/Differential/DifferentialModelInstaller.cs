using System.Security.Cryptography;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Knowledge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Shared.Reasoning.Differential;

/// <summary>
/// Puts the compiled differential model into a models folder, where the registry verifies and serves it
/// like any other model. Meant for start-up (and a CLI verb): if the folder lacks the model of the current
/// knowledge base, compile it and write it; otherwise leave the folder alone.
/// </summary>
public static partial class DifferentialModelInstaller
{
    /// <summary>
    /// What the app does at start-up: install the model of <paramref name="kb"/> into the registry's folder if it
    /// is not there (then the registry hash-verifies and serves it like any other model) and return the engine
    /// over it. If the folder cannot be written, the reason is logged and the engine reports the model
    /// unavailable unless an operator installed it.
    /// </summary>
    public static DifferentialEngine CreateEngine(KnowledgeBase kb, ModelRegistry registry, ILogger? logger = null, int topK = DifferentialSpec.DefaultTopK,
        double estimateWeight = 1.0)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var spec = DifferentialSpec.From(kb, topK, estimateWeight);
        try
        {
            var (manifest, written) = Install(spec, registry.Directory);
            if (written) LogInstalled(logger ?? NullLogger.Instance, manifest.Id, manifest.Version, registry.Directory);
            registry.Rescan();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogInstallFailed(logger ?? NullLogger.Instance, registry.Directory, e.Message);
        }
        return new DifferentialEngine(spec, registry);
    }

    /// <summary>
    /// Writes the model of <paramref name="spec"/> into <paramref name="directory"/> unless a manifest of that
    /// exact version is already there with a file that matches its hash, and removes the files of versions of this model compiled from
    /// another knowledge base (their versions are hash-based, so the registry could not tell old from new). Variants of the same
    /// knowledge base (candidates, see <see cref="DifferentialSpec.EstimateWeight"/>) are left in place.
    /// Returns the manifest and whether anything was written.
    /// </summary>
    public static (ModelManifest Manifest, bool Written) Install(DifferentialSpec spec, string directory, string knowledgeSource = DifferentialCompiler.EmbeddedSource)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Directory.CreateDirectory(directory);
        var manifestPath = Path.Combine(directory, Path.ChangeExtension(spec.FileName, ".json"));
        var modelPath = Path.Combine(directory, spec.FileName);
        RemoveOtherVersions(directory, spec);
        if (File.Exists(manifestPath) && File.Exists(modelPath))
        {
            var existing = TryRead(manifestPath);
            // A damaged or replaced file is rewritten: compilation is deterministic, so the rewrite is the original.
            if (existing is not null && existing.Version == spec.Version && existing.Sha256 == Sha256Of(modelPath)) return (existing, false);
        }
        var compiled = DifferentialCompiler.Compile(spec, knowledgeSource);
        // The model first, then its manifest: the registry only looks at a model once its manifest exists.
        WriteAtomically(modelPath, compiled.Model);
        WriteAtomically(manifestPath, System.Text.Encoding.UTF8.GetBytes(compiled.Manifest.ToJson()));
        return (compiled.Manifest, true);
    }

    /// <summary>Installs the model for <paramref name="kb"/> into the registry's folder and rescans, so it serves at once.</summary>
    public static ModelManifest EnsureInstalled(KnowledgeBase kb, ModelRegistry registry, int topK = DifferentialSpec.DefaultTopK)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var (manifest, _) = Install(DifferentialSpec.From(kb, topK), registry.Directory);
        registry.Rescan();
        return manifest;
    }

    private static void RemoveOtherVersions(string directory, DifferentialSpec spec)
    {
        foreach (var path in Directory.EnumerateFiles(directory, DifferentialSpec.ModelId + "-*.json"))
        {
            var manifest = TryRead(path);
            if (manifest is null || manifest.Id != DifferentialSpec.ModelId || spec.SameKnowledge(manifest.Version)) continue;
            // Manifest first, so that the registry never sees a manifest without its model.
            File.Delete(path);
            var model = Path.Combine(directory, manifest.File);
            if (Path.GetDirectoryName(Path.GetFullPath(model)) == Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)) File.Delete(model);
        }
    }

    private static ModelManifest? TryRead(string path)
    {
        try
        {
            return ModelManifest.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return null;
        }
    }

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Differential: compiled {Id} {Version} from the knowledge base into {Directory}")]
    private static partial void LogInstalled(ILogger logger, string id, string version, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Differential: cannot write the compiled model into {Directory}: {Reason}")]
    private static partial void LogInstallFailed(ILogger logger, string directory, string reason);
}
