using System.Security.Cryptography;
using System.Text.Json;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Orchestration;

/// <summary>What a review reads, reduced to canonical forms: the review moment, the care setting and the inputs hash.</summary>
public static class CaseInputs
{
    /// <summary>The record's latest event time (start or end): "now" for a review without an explicit moment.</summary>
    public static DateTimeOffset LatestEvent(PatientRecord record) =>
        record.Events.SelectMany(e => new[] { e.Start, e.End }).Where(t => t.HasValue).Select(t => t!.Value)
            .DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();

    /// <summary>
    /// The care setting of the latest encounter that had started by <paramref name="asOf"/>: its class code
    /// (HL7 v3 ActCode EMER, IMP/ACUTE/NONAC...) picks the prior; anything else, or no encounter, is primary care.
    /// </summary>
    public static CareSetting SettingOf(PatientRecord record, DateTimeOffset asOf)
    {
        var latest = record.Events.Where(e => e.Kind == EventKind.Encounter && e.Start <= asOf).MaxBy(e => e.Start);
        return latest?.Category?.ToUpperInvariant() switch
        {
            "EMER" or "EMERGENCY" => CareSetting.Emergency,
            "IMP" or "ACUTE" or "NONAC" or "INPATIENT" or "INPATIENT ENCOUNTER" => CareSetting.Inpatient,
            _ => CareSetting.PrimaryCare,
        };
    }

    /// <summary>
    /// SHA-256 (hex) of the canonical de-identified inputs: the patient (without the age, which depends on the
    /// day of import), every event ordered by id, and the review moment. Same hash, same inputs.
    /// </summary>
    public static string Sha256(PatientRecord record, DateTimeOffset asOf)
    {
        var p = record.Patient;
        var canonical = new
        {
            patient = new { p.Id, p.Sex, p.BirthDate, p.DeceasedDate, p.State, p.SourceJson },
            events = record.Events.OrderBy(e => e.Id, StringComparer.Ordinal),
            asOf = asOf.ToUniversalTime(),
        };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical, CaseReviewJson.Options)));
    }
}
