using System.Text.Json.Nodes;
using static ClinicianPortal.Shared.Records.Import.Fhir;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>
/// One file's way from parsed resources to an <see cref="ImportBatch"/>: index the resources, validate
/// the kept ones, resolve references, gather identifier hashes, then de-identify and map each resource.
/// Any problem throws <see cref="ImportException"/> before anything is returned, so a file is all or nothing.
/// </summary>
internal sealed class FileImport(string sourceName, IReadOnlyList<RawResource> resources, Pseudonyms pseudonyms, DateOnly today)
{
    private static readonly FhirResourceValidator Validator = new();
    // Types whose references are kept (rewritten to pseudonyms); references to any other type are dropped.
    private static bool IsKept(string type) => type == "Patient" || ClinicalEventMapper.Kinds.ContainsKey(type);
    private static readonly HashSet<string> PersonTypes = ["Practitioner", "PractitionerRole", "RelatedPerson"];

    private readonly Dictionary<string, RawResource> _byFullUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Id), RawResource> _byTypeId = [];
    private readonly SortedSet<string> _externalPatients = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _externalEvents = new(StringComparer.Ordinal);
    private readonly IdentifierCollector _identifiers = new(pseudonyms);

    public async Task<ImportBatch> RunAsync(IKnownIdentifiers known, CancellationToken cancellationToken)
    {
        Index();
        var kept = resources.Where(r => IsKept(r.ResourceType)).ToList();
        foreach (var resource in kept) Validate(resource);

        // Whose record each resource belongs to: the patient's source id drives the date shift.
        var patientOf = new Dictionary<RawResource, string>();
        foreach (var resource in kept) patientOf[resource] = resource.ResourceType == "Patient" ? resource.Id! : PatientSourceId(resource);

        foreach (var resource in resources)
        {
            if (resource.ResourceType == "Patient") _identifiers.AddPatient(pseudonyms.Patient(resource.Id!), resource.Json);
            else if (resource.ResourceType == "Practitioner") _identifiers.AddPractitioner(resource.Json);
        }
        foreach (var resource in kept) CollectDisplayNames(resource.Json, pseudonyms.Patient(patientOf[resource]));

        var tokenHash = pseudonyms.TokenHasher();
        var scrubContexts = new Dictionary<string, ScrubContext>(StringComparer.Ordinal);
        foreach (var patientSourceId in patientOf.Values.Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pseudonym = pseudonyms.Patient(patientSourceId);
            var tokens = new Dictionary<string, TokenKind>(_identifiers.For(pseudonym), StringComparer.Ordinal);
            foreach (var stored in await known.ForPatientAsync(pseudonym, cancellationToken).ConfigureAwait(false))
            {
                if (IdentifierTokens.TryParseStored(stored, out var kind, out var hash)) tokens.TryAdd(hash, kind);
            }
            scrubContexts[patientSourceId] = new ScrubContext(pseudonyms.DateShiftDays(patientSourceId), tokens, tokenHash);
        }

        var patients = new List<PatientSummary>();
        var events = new List<ClinicalEvent>();
        foreach (var resource in kept)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var patientSourceId = patientOf[resource];
            var scrub = scrubContexts[patientSourceId];
            var age = resource.ResourceType == "Patient" ? PatientSummaryMapper.AgeOf(resource.Json, today) : default;
            var context = new DeidentifyContext(
                sourceName, resource.Where, pseudonyms.For(resource.ResourceType, resource.Id!), scrub.ShiftDays,
                text => NoteScrubber.Scrub(text, scrub),
                (reference, field) => Rewrite(reference, resource, field));
            var notes = ResourceDeidentifier.Apply(resource.Json, context);

            if (resource.ResourceType == "Patient")
            {
                patients.Add(PatientSummaryMapper.Map(resource.Json, age));
                continue;
            }
            var encounter = Str(Get(resource.Json["encounter"], "reference"))
                ?? Objects(Get(resource.Json["context"], "encounter")).Select(e => Str(e["reference"])).FirstOrDefault(r => r is not null);
            var annotations = Objects(resource.Json["note"]).Select(n => Str(n["text"])).OfType<string>();
            var text = string.Join("\n\n", notes.Count > 0 ? notes : annotations);
            events.Add(ClinicalEventMapper.Map(
                resource.ResourceType, resource.Json, pseudonyms.Patient(patientSourceId),
                encounter?.StartsWith("Encounter/", StringComparison.Ordinal) == true ? encounter["Encounter/".Length..] : null,
                text.Length > 0 ? text : null));
        }

        var definedPatients = patients.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        return new ImportBatch
        {
            SourceName = sourceName,
            Patients = patients,
            Events = events,
            ExternalPatientIds = _externalPatients.Where(p => !definedPatients.Contains(p)).ToList(),
            ExternalEventIds = [.. _externalEvents],
            IdentifierHashes = _identifiers.ToHashes(),
            ResourceCounts = Count(resources),
            SkippedCounts = Count(resources.Where(r => !IsKept(r.ResourceType))),
        };
    }

    private void Index()
    {
        foreach (var resource in resources)
        {
            if (resource.FullUrl is { } url && !_byFullUrl.TryAdd(url, resource))
                throw new ImportException(sourceName, "two entries have the same fullUrl", resource.Where, "fullUrl");
            if (resource.Id is { } id && !_byTypeId.TryAdd((resource.ResourceType, id), resource) && IsKept(resource.ResourceType))
                throw new ImportException(sourceName, $"another {resource.ResourceType} in this file has the same id", resource.Where, "id");
        }
    }

    private void Validate(RawResource resource)
    {
        var result = Validator.Validate(resource);
        if (!result.IsValid)
        {
            var error = result.Errors[0];
            throw new ImportException(sourceName, error.ErrorMessage, resource.Where, error.PropertyName);
        }
    }

    private string PatientSourceId(RawResource resource)
    {
        var field = FhirResourceValidator.PatientField[resource.ResourceType] + ".reference";
        var raw = Str(Get(resource.Json[FhirResourceValidator.PatientField[resource.ResourceType]], "reference"))!;
        var target = Resolve(raw, resource, field);
        if (target is not ("Patient", { } id))
            throw new ImportException(sourceName, "must reference a Patient", resource.Where, field);
        return id;
    }

    /// <summary>The type and id a reference points to; (type, null) for ones that cannot be followed.</summary>
    private (string? Type, string? Id) Resolve(string raw, RawResource from, string field)
    {
        var reference = FhirReference.Parse(raw) ?? throw new ImportException(sourceName, "is not a valid reference", from.Where, field);
        switch (reference.Shape)
        {
            case ReferenceShape.Uuid:
                // A urn:uuid only has meaning inside its Bundle: it must name one of the entries.
                if (!_byFullUrl.TryGetValue(raw, out var target))
                    throw new ImportException(sourceName, "points to no entry of this Bundle", from.Where, field);
                return (target.ResourceType, target.Id);
            case ReferenceShape.Literal:
                if (_byFullUrl.TryGetValue(raw, out var byUrl)) return (byUrl.ResourceType, byUrl.Id);
                return (reference.Type, reference.Id);
            case ReferenceShape.Conditional:
                if (IsKept(reference.Type!))
                    throw new ImportException(sourceName, $"a conditional reference to a {reference.Type} cannot be resolved", from.Where, field);
                return (reference.Type, null);
            default:
                return (null, null);
        }
    }

    /// <summary>The pseudonymous form of a reference, or null to drop it (practitioners, organizations...).</summary>
    private string? Rewrite(string raw, RawResource from, string field)
    {
        var (type, id) = Resolve(raw, from, field);
        if (type is null || id is null || !IsKept(type)) return null;
        var pseudonym = pseudonyms.For(type, id);
        var inFile = _byTypeId.ContainsKey((type, id));
        if (!inFile && type == "Patient") _externalPatients.Add(pseudonym);
        if (!inFile && type == "Encounter") _externalEvents.Add(pseudonym);
        return type + "/" + pseudonym;
    }

    /// <summary>Names written as reference displays: the patient's own, relatives', practitioners'.</summary>
    private void CollectDisplayNames(JsonNode? node, string patientPseudonym)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array) CollectDisplayNames(item, patientPseudonym);
                break;
            case JsonObject o:
                if (Str(o["reference"]) is { } raw && Str(o["display"]) is { } display && FhirReference.Parse(raw) is { } reference)
                {
                    var type = reference.Shape == ReferenceShape.Uuid && _byFullUrl.TryGetValue(raw, out var t) ? t.ResourceType : reference.Type;
                    if (type is "Patient" or "RelatedPerson") _identifiers.AddDisplayName(patientPseudonym, display);
                    else if (type is not null && PersonTypes.Contains(type)) _identifiers.AddDisplayName(null, display);
                }
                foreach (var (_, child) in o) CollectDisplayNames(child, patientPseudonym);
                break;
        }
    }

    private static Dictionary<string, int> Count(IEnumerable<RawResource> resources) =>
        resources.GroupBy(r => r.ResourceType, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
