using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Reasoning.Findings;

/// <summary>The shipped knowledge base read against the shipped sample bundles: the acute scenarios' key findings.</summary>
public sealed class SampleCohortFindingsTests
{
    private static readonly KnowledgeBase Kb = KnowledgeBase.LoadEmbedded();
    private static readonly FindingExtractor Extractor = new(Kb);

    public static TheoryData<string> Files(string scenario) => [.. SampleCohort.FilesOf(scenario)];

    public static TheoryData<string> PulmonaryEmbolism => Files("pulmonary-embolism");
    public static TheoryData<string> AcuteCoronarySyndrome => Files("acute-coronary-syndrome");
    public static TheoryData<string> Sepsis => Files("sepsis");
    public static TheoryData<string> AcuteKidneyInjury => Files("acute-kidney-injury");
    public static TheoryData<string> UpperGiBleed => Files("upper-gi-bleed");

    public static TheoryData<string> AllFiles =>
    [
        .. Directory.GetFiles(SampleCohort.Folder, "patient-*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(PulmonaryEmbolism))]
    public async Task Pulmonary_embolism_shows_a_raised_d_dimer_tachycardia_and_breathlessness(string file)
    {
        var (record, set) = await ExtractAsync(file);

        AssertPresent(record, set, "ddimer-elevated", EventKind.Observation, "48065-7");
        AssertPresent(record, set, "tachycardia", EventKind.Observation, "8867-4");
        AssertPresent(record, set, "dyspnoea", EventKind.Note);
        AssertPresent(record, set, "pleuritic-chest-pain", EventKind.Note);
        // "Denies fever, productive cough or haemoptysis. No orthopnoea. No syncope."
        AssertAbsentFromNote(record, set, "haemoptysis");
        AssertAbsentFromNote(record, set, "orthopnoea");
        AssertAbsentFromNote(record, set, "syncope");
    }

    [Theory]
    [MemberData(nameof(AcuteCoronarySyndrome))]
    public async Task Acute_coronary_syndrome_shows_a_raised_and_rising_troponin_and_chest_pain(string file)
    {
        var (record, set) = await ExtractAsync(file);

        var troponin = AssertPresent(record, set, "troponin-elevated", EventKind.Observation);
        Assert.Contains(Event(record, troponin.Citations[0].EventId).CodeIn(Coding.Loinc), new[] { "10839-9", "89579-7" });
        AssertPresent(record, set, "troponin-rising", EventKind.Observation);
        AssertPresent(record, set, "chest-pain", EventKind.Note);
        // "The pain is 7/10 ... not pleuritic and not positional." and "Denies fever, cough or haemoptysis."
        AssertAbsentFromNote(record, set, "pleuritic-chest-pain");
        AssertAbsentFromNote(record, set, "haemoptysis");
    }

    [Theory]
    [MemberData(nameof(Sepsis))]
    public async Task Sepsis_shows_a_lactate_of_four_or_more_hypotension_fever_and_confusion(string file)
    {
        var (record, set) = await ExtractAsync(file);

        var lactate = AssertPresent(record, set, "lactate-over-2", EventKind.Observation, "2524-7");
        // The arrival lactate (4 or more) is cited even though the repeat after fluids is lower.
        Assert.Contains(lactate.Citations, c => Event(record, c.EventId).Value!.Value >= 4);
        AssertPresent(record, set, "hypotension", EventKind.Observation);
        AssertPresent(record, set, "fever", EventKind.Observation, "8310-5");
        AssertPresent(record, set, "confusion", EventKind.Note);
        // "No rash. No neck stiffness."
        AssertAbsentFromNote(record, set, "neck-stiffness");
    }

    [Theory]
    [MemberData(nameof(AcuteKidneyInjury))]
    public async Task Acute_kidney_injury_shows_creatinine_over_one_and_a_half_times_baseline_and_hyperkalaemia(string file)
    {
        var (record, set) = await ExtractAsync(file);

        var aki = AssertPresent(record, set, "creatinine-1-5x-baseline", EventKind.Observation, "2160-0");
        Assert.Equal(2, aki.Citations.Count);
        AssertPresent(record, set, "hyperkalaemia-lab", EventKind.Observation, "2823-3");
        AssertPresent(record, set, "diarrhoea", EventKind.Note);
    }

    [Theory]
    [MemberData(nameof(UpperGiBleed))]
    public async Task Upper_gi_bleed_shows_melaena_and_denies_chest_pain(string file)
    {
        var (record, set) = await ExtractAsync(file);

        AssertPresent(record, set, "melaena", EventKind.Note);
        AssertAbsentFromNote(record, set, "chest-pain");
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public async Task Every_citation_names_an_event_of_the_record_and_every_finding_is_in_the_knowledge_base(string file)
    {
        var (record, set) = await ExtractAsync(file);
        var ids = record.Events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(set.Findings);
        Assert.All(set.Findings, f =>
        {
            Assert.NotNull(Kb.Finding(f.FindingId));
            Assert.False(string.IsNullOrWhiteSpace(f.Explanation));
            Assert.All(f.Citations, c => Assert.Contains(c.EventId, ids));
            if (f.State != FindingState.Unknown && Kb.Finding(f.FindingId)!.Kind != FindingKind.Demographic) Assert.NotEmpty(f.Citations);
        });
        Assert.Equal(set.Findings.Count, set.Findings.Select(f => f.FindingId).Distinct(StringComparer.Ordinal).Count());
    }

    private static async Task<(PatientRecord Record, FindingSet Set)> ExtractAsync(string file)
    {
        var record = await SampleCohort.RecordAsync(file);
        return (record, Extractor.Extract(record));
    }

    private static ClinicalEvent Event(PatientRecord record, string id) => record.Events.Single(e => e.Id == id);

    /// <summary>Present, with its first citation an event of the expected kind (and code).</summary>
    private static ExtractedFinding AssertPresent(PatientRecord record, FindingSet set, string findingId, EventKind kind, string? loinc = null)
    {
        var finding = set[findingId];
        Assert.True(finding is { State: FindingState.Present }, $"{findingId}: {finding?.State} ({finding?.Explanation})");
        Assert.NotNull(finding);
        var cited = Event(record, finding.Citations[0].EventId);
        Assert.Equal(kind, cited.Kind);
        if (loinc is not null) Assert.Equal(loinc, cited.CodeIn(Coding.Loinc));
        return finding;
    }

    private static void AssertAbsentFromNote(PatientRecord record, FindingSet set, string findingId)
    {
        var finding = set[findingId];
        Assert.True(finding is { State: FindingState.Absent }, $"{findingId}: {finding?.State} ({finding?.Explanation})");
        Assert.NotNull(finding);
        var note = Event(record, finding.Citations[0].EventId);
        Assert.Equal(EventKind.Note, note.Kind);
        Assert.Contains(finding.Citations[0].Excerpt.TrimEnd('…'), note.Text!, StringComparison.Ordinal);
    }
}
