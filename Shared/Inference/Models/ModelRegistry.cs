using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Shared.Inference.Models;

public enum ModelState
{
    /// <summary>Verified, loaded and serving.</summary>
    Available,
    /// <summary>No version of this model could be loaded: the capability is off.</summary>
    Unavailable,
    /// <summary>This version was refused (bad manifest, hash mismatch, load failure); another may be serving.</summary>
    Refused,
}

/// <summary>One line of the registry's state, as the health endpoint and the UI show it.</summary>
public sealed record ModelStatus(string Id, string? Version, string? Sha256, string? Task, ModelState State, string? Error);

/// <summary>A model's outputs together with exactly which model produced them.</summary>
public sealed record ModelResult(string ModelId, string Version, string Sha256, IReadOnlyList<NamedTensor> Outputs)
{
    public DenseTensor Output(string name) => Outputs.FirstOrDefault(o => o.Name == name)?.Value
        ?? throw new KeyNotFoundException($"Model {ModelId} {Version} gave no output named '{name}'.");
}

/// <summary>The model cannot be used now (missing, refused, or the engine is unavailable).</summary>
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException() { }
    public ModelUnavailableException(string message) : base(message) { }
    public ModelUnavailableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The models folder: each *.json manifest names an .onnx file and its SHA-256. At start-up and whenever the
/// folder changes (FileSystemWatcher, debounced), every manifest is read and every version whose file verifies
/// and loads is served; per model id the highest such version is the default (<see cref="Run(string, IReadOnlyList{NamedTensor}, IReadOnlyList{string}?)"/>),
/// and any loaded version can be run by name (a shadow model beside the approved one, see ModelLifecycle).
/// Sessions of removed or replaced files are swapped out without a restart. A model that cannot be verified or
/// loaded is refused with the reason and the rest keep working.
/// </summary>
public sealed partial class ModelRegistry : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    private readonly IInferenceRuntime? _runtime;
    private readonly string? _runtimeUnavailable;
    private readonly ILogger _logger;
    private readonly Lock _scanGate = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;
    private ImmutableDictionary<string, LoadedModel> _active = ImmutableDictionary<string, LoadedModel>.Empty;
    private ImmutableDictionary<(string Id, string Version), LoadedModel> _versions = ImmutableDictionary<(string Id, string Version), LoadedModel>.Empty;
    private ImmutableArray<ModelStatus> _status = [];
    private bool _disposed;

    /// <param name="runtime">The engine, or null when it could not start (<paramref name="runtimeUnavailable"/> says why).</param>
    public ModelRegistry(IInferenceRuntime? runtime, string directory, ILogger<ModelRegistry>? logger = null, string? runtimeUnavailable = null)
    {
        _runtime = runtime;
        _runtimeUnavailable = runtimeUnavailable ?? (runtime is null ? "the inference engine is not available" : null);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Directory = Path.GetFullPath(directory);
        _debounce = new Timer(_ => SafeRescan(), null, Timeout.Infinite, Timeout.Infinite);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            _watcher = new FileSystemWatcher(Directory) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            _watcher.Changed += OnFolderChanged;
            _watcher.Created += OnFolderChanged;
            _watcher.Deleted += OnFolderChanged;
            _watcher.Renamed += OnFolderChanged;
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogWatchFailed(Directory, e.Message);
        }
        Rescan();
    }

    public string Directory { get; }

    /// <summary>Raised after a scan that changed what is served or refused.</summary>
    public event EventHandler? Changed;

    /// <summary>Every model id (available or not) and every refused version, with reasons.</summary>
    public IReadOnlyList<ModelStatus> Models => _status;

    /// <summary>The default version of this id (the highest that loads), or why none is available; null when unknown.</summary>
    public ModelStatus? Status(string modelId)
    {
        var served = Volatile.Read(ref _active).GetValueOrDefault(modelId)?.Manifest.Version;
        return _status.FirstOrDefault(s => s.Id == modelId && s.State != ModelState.Refused && (served is null || s.Version == served));
    }

    /// <summary>This exact version: available, refused (with the reason), or null when no manifest declares it.</summary>
    public ModelStatus? Status(string modelId, string version) =>
        _status.Where(s => s.Id == modelId && s.Version == version).OrderBy(s => s.State).FirstOrDefault();

    /// <summary>Every version of <paramref name="modelId"/> served now.</summary>
    public IReadOnlyList<ModelStatus> Versions(string modelId) =>
        [.. _status.Where(s => s.Id == modelId && s.State == ModelState.Available && s.Version is not null)];

    /// <summary>The declared inputs and outputs of the model now serving under this id.</summary>
    public ModelManifest Manifest(string modelId) => Get(modelId).Manifest;

    /// <summary>Runs the model now serving under this id; the result names its id, version and hash.</summary>
    public ModelResult Run(string modelId, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null) =>
        Run(() => Get(modelId), inputs, outputNames);

    /// <summary>Runs exactly <paramref name="version"/> of the model (whether or not it is the default).</summary>
    public ModelResult Run(string modelId, string version, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null) =>
        Run(() => Get(modelId, version), inputs, outputNames);

    private static ModelResult Run(Func<LoadedModel> get, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames)
    {
        for (int attempt = 0; ; attempt++)
        {
            var model = get();
            try
            {
                var outputs = model.Session.Run(inputs, outputNames);
                return new ModelResult(model.Manifest.Id, model.Manifest.Version, model.Sha256, outputs);
            }
            catch (ObjectDisposedException) when (attempt == 0)
            {
                // A new version was swapped in between reading the table and running: run the new one.
            }
        }
    }

    /// <summary>Reads the folder now (also done automatically on changes).</summary>
    public void Rescan()
    {
        bool changed;
        lock (_scanGate)
        {
            if (_disposed) return;
            changed = Scan();
        }
        if (changed) Changed?.Invoke(this, EventArgs.Empty);
    }

    public void Dispose()
    {
        lock (_scanGate)
        {
            if (_disposed) return;
            _disposed = true;
            _watcher?.Dispose();
            _debounce.Dispose();
            foreach (var model in _versions.Values) model.Session.Dispose();
            _active = _active.Clear();
            _versions = _versions.Clear();
        }
    }

    private LoadedModel Get(string modelId)
    {
        if (Volatile.Read(ref _active).TryGetValue(modelId, out var model)) return model;
        var status = Status(modelId);
        throw new ModelUnavailableException(status is null
            ? $"No model '{modelId}' is installed in {Directory}."
            : $"Model '{modelId}' is unavailable: {status.Error}");
    }

    private LoadedModel Get(string modelId, string version)
    {
        if (Volatile.Read(ref _versions).TryGetValue((modelId, version), out var model)) return model;
        var status = Status(modelId, version);
        throw new ModelUnavailableException(status is null
            ? $"Version {version} of model '{modelId}' is not installed in {Directory}."
            : $"Version {version} of model '{modelId}' is unavailable: {status.Error}");
    }

    private bool Scan()
    {
        var candidates = new List<Candidate>();
        var status = new List<ModelStatus>();
        foreach (var path in System.IO.Directory.Exists(Directory)
                     ? System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                     : Enumerable.Empty<string>())
        {
            try
            {
                candidates.Add(new Candidate(path, ModelManifest.Parse(File.ReadAllText(path))));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                var name = Path.GetFileName(path);
                status.Add(new ModelStatus(name, null, null, null, ModelState.Refused, $"manifest {name}: {e.Message}"));
                LogRefused(name, "?", e.Message);
            }
        }

        var loaded = _versions;
        var next = ImmutableDictionary.CreateBuilder<string, LoadedModel>();
        var versions = ImmutableDictionary.CreateBuilder<(string Id, string Version), LoadedModel>();
        foreach (var group in candidates.GroupBy(c => c.Manifest.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            LoadedModel? chosen = null; // the default: the highest version that loads
            var reasons = new List<string>();
            // Two manifests of one version: the first (by path) wins, as the default did before.
            foreach (var candidate in group.OrderByDescending(c => c.Manifest.Version, VersionComparer.Instance).DistinctBy(c => c.Manifest.Version, StringComparer.Ordinal))
            {
                var manifest = candidate.Manifest;
                LoadedModel model;
                if (loaded.TryGetValue((manifest.Id, manifest.Version), out var current) && current.Fingerprint == candidate.Fingerprint())
                {
                    model = current; // unchanged since it was verified and loaded
                }
                else
                {
                    try
                    {
                        model = Load(candidate);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModelUnavailableException)
                    {
                        reasons.Add($"version {manifest.Version}: {e.Message}");
                        status.Add(new ModelStatus(manifest.Id, manifest.Version, manifest.Sha256, manifest.Task, ModelState.Refused, e.Message));
                        LogRefused(manifest.Id, manifest.Version, e.Message);
                        continue;
                    }
                    LogServing(manifest.Id, manifest.Version, model.Sha256);
                }
                versions[(manifest.Id, manifest.Version)] = model;
                status.Add(new ModelStatus(manifest.Id, manifest.Version, model.Sha256, manifest.Task, ModelState.Available, null));
                chosen ??= model;
            }
            if (chosen is null)
            {
                var first = group.First().Manifest;
                status.Add(new ModelStatus(group.Key, null, null, first.Task, ModelState.Unavailable, string.Join(" | ", reasons)));
                continue;
            }
            next[group.Key] = chosen;
        }
        var retired = loaded.Where(old => !versions.TryGetValue(old.Key, out var kept) || !ReferenceEquals(kept, old.Value)).Select(old => old.Value).ToList();

        var newStatus = status.OrderBy(s => s.Id, StringComparer.Ordinal).ThenBy(s => s.State).ThenBy(s => s.Version, StringComparer.Ordinal).ToImmutableArray();
        bool changed = !newStatus.SequenceEqual(_status);
        Volatile.Write(ref _versions, versions.ToImmutable());
        Volatile.Write(ref _active, next.ToImmutable());
        _status = newStatus;
        // Runs still in flight on a retired session hold a reference: it is released when the last one returns.
        foreach (var old in retired) old.Session.Dispose();
        return changed;
    }

    private LoadedModel Load(Candidate candidate)
    {
        if (_runtime is null) throw new ModelUnavailableException(_runtimeUnavailable!);
        var manifest = candidate.Manifest;
        var file = candidate.ModelPath;
        if (!File.Exists(file)) throw new ModelUnavailableException($"the model file {manifest.File} is missing.");
        // Hash and load the same bytes, so that what was verified is what runs.
        var bytes = File.ReadAllBytes(file);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelUnavailableException($"the file {manifest.File} does not match its manifest (sha256 {sha}, expected {manifest.Sha256.ToLowerInvariant()}): it is corrupted or was replaced.");
        IInferenceSession session;
        try
        {
            session = _runtime.LoadModel(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelUnavailableException($"ONNX Runtime could not load {manifest.File}: {e.Message}", e);
        }
        try
        {
            CheckSignature("input", manifest.Inputs, session.Inputs);
            CheckSignature("output", manifest.Outputs, session.Outputs);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        return new LoadedModel(manifest, session, sha, candidate.Fingerprint());
    }

    /// <summary>The manifest must describe the model truthfully: same names, element types and shapes.</summary>
    private static void CheckSignature(string kind, IReadOnlyList<ManifestTensor> declared, IReadOnlyList<TensorInfo> actual)
    {
        foreach (var d in declared)
        {
            var a = actual.FirstOrDefault(x => x.Name == d.Name)
                ?? throw new ModelUnavailableException($"the manifest declares {kind} '{d.Name}' but the model has {string.Join(", ", actual.Select(x => x.Name))}.");
            if (a.ElementType != d.ElementType || !a.Shape.SequenceEqual(d.Shape))
                throw new ModelUnavailableException($"the manifest declares {kind} {d.Name}: {d.ElementType}[{string.Join(", ", d.Shape)}] but the model has {a}.");
        }
        if (kind == "input" && actual.Count != declared.Count)
            throw new ModelUnavailableException($"the model has {actual.Count} inputs but the manifest declares {declared.Count}.");
    }

    private void OnFolderChanged(object sender, FileSystemEventArgs e)
    {
        try
        {
            _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void SafeRescan()
    {
        try
        {
            Rescan();
        }
#pragma warning disable CA1031 // a timer callback must not take the process down; the failure is logged
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogScanFailed(e);
        }
    }

    private sealed record Candidate(string ManifestPath, ModelManifest Manifest)
    {
        public string ModelPath => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ManifestPath)!, Manifest.File));

        /// <summary>Identifies a manifest + file pair as last verified: any change to either forces a new check.</summary>
        public string Fingerprint()
        {
            var file = new FileInfo(ModelPath);
            var stamp = file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "missing";
            return $"{ManifestPath}|{Manifest.Version}|{Manifest.Sha256}|{stamp}|{File.GetLastWriteTimeUtc(ManifestPath).Ticks}";
        }
    }

    private sealed record LoadedModel(ModelManifest Manifest, IInferenceSession Session, string Sha256, string Fingerprint);

    /// <summary>Orders "1.10.0" after "1.9.2"; versions that are not numeric fall back to ordinal order.</summary>
    private sealed class VersionComparer : IComparer<string>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(string? x, string? y) =>
            System.Version.TryParse(x, out var a) && System.Version.TryParse(y, out var b) ? a.CompareTo(b) : string.CompareOrdinal(x, y);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Models: serving {Id} {Version} (sha256 {Sha256})")]
    private partial void LogServing(string id, string version, string sha256);

    [LoggerMessage(Level = LogLevel.Error, Message = "Models: refused {Id} {Version}: {Reason}")]
    private partial void LogRefused(string id, string version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Models: cannot watch {Directory} for new versions: {Reason}")]
    private partial void LogWatchFailed(string directory, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Models: rescanning the models folder failed")]
    private partial void LogScanFailed(Exception e);
}
