using System.Security.Cryptography;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.CaseReview;

/// <summary>A FHIR file (bundle or NDJSON) read for a review; the name's extension tells the format.</summary>
public sealed record TransientFile(string Name, Func<Stream> Open);

/// <summary>The files cannot be reviewed; the message says why (file name and reason, never resource contents).</summary>
public sealed class TransientRecordsException(string message) : Exception(message);

/// <summary>
/// Reads FHIR files into de-identified patient records in memory, storing nothing: the one path the `review`
/// command, POST /api/v1/case-review and the CDS Hooks service share. A throw-away random key de-identifies
/// them, so pseudonyms differ from call to call and from the portal's: nothing may be joined with stored data.
/// </summary>
public static class TransientRecords
{
    /// <summary>One record per patient, in the order the files define them.</summary>
    /// <param name="importer">
    /// The portal's importer when pseudonyms must match the stored ones (so that a link to the patient page resolves
    /// if the patient was imported); by default a throw-away key.
    /// </param>
    /// <exception cref="TransientRecordsException">A file cannot be read, or holds no Patient, or refers to patients it lacks.</exception>
    public static async Task<List<PatientRecord>> ReadAsync(IReadOnlyList<TransientFile> files, FhirImporter? importer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        importer ??= new FhirImporter(new DeidentificationKey(RandomNumberGenerator.GetBytes(32)));
        var known = new Identifiers();
        var patients = new List<PatientSummary>();
        var events = new List<ClinicalEvent>();
        foreach (var file in files)
        {
            ImportBatch batch;
            try
            {
                await using var stream = file.Open();
                batch = await importer.ReadAsync(file.Name, stream, known, cancellationToken);
            }
            catch (ImportException e)
            {
                throw new TransientRecordsException($"cannot read '{file.Name}': {e.Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TransientRecordsException($"cannot read '{file.Name}': {e.Message}");
            }
            known.Add(batch);
            patients.AddRange(batch.Patients);
            events.AddRange(batch.Events);
        }
        var defined = patients.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var orphans = events.Select(e => e.PatientId).Where(id => !defined.Contains(id)).Distinct().Count();
        if (orphans > 0)
            throw new TransientRecordsException($"{orphans} patient(s) referenced by the files have no Patient resource among them: give the Patient file of an NDJSON set too.");
        if (patients.Count == 0) throw new TransientRecordsException("the files hold no Patient resource.");
        var byPatient = events.ToLookup(e => e.PatientId, StringComparer.Ordinal);
        return [.. patients.DistinctBy(p => p.Id).Select(p => PatientRecord.Build(p, byPatient[p.Id]))];
    }

    /// <summary>The identifier hashes of the files read so far (the store's role during an import).</summary>
    private sealed class Identifiers : IKnownIdentifiers
    {
        private readonly Dictionary<string, HashSet<string>> _hashes = new(StringComparer.Ordinal);

        public void Add(ImportBatch batch)
        {
            foreach (var h in batch.IdentifierHashes)
            {
                var key = h.PatientId ?? "";
                if (!_hashes.TryGetValue(key, out var set)) _hashes[key] = set = [];
                set.Add(h.Hash);
            }
        }

        public Task<IReadOnlySet<string>> ForPatientAsync(string patientId, CancellationToken cancellationToken)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            if (_hashes.TryGetValue("", out var global)) result.UnionWith(global);
            if (_hashes.TryGetValue(patientId, out var own)) result.UnionWith(own);
            return Task.FromResult<IReadOnlySet<string>>(result);
        }
    }
}
