using FluentValidation;

namespace ClinicianPortal.Shared.Knowledge;

/// <summary>
/// Checks the whole knowledge base: ids, cross-references, probabilities and likelihood ratios,
/// code formats, units and name collisions. Every message names the item it is about.
/// </summary>
public sealed class KnowledgeBaseValidator : AbstractValidator<KnowledgeBase>
{
    public const int MinFindingsPerCondition = 3;
    private static readonly string[] Comparators = [">", ">=", "<", "<="];

    public KnowledgeBaseValidator()
    {
        RuleFor(kb => kb).Custom((kb, ctx) =>
        {
            Unique(ctx, "condition", kb.Conditions.Select(c => c.Id));
            Unique(ctx, "finding", kb.Findings.Select(f => f.Id));
            Unique(ctx, "test", kb.Tests.Select(t => t.Id));
            Unique(ctx, "reference", kb.References.Select(r => r.Id));

            var used = kb.Conditions.SelectMany(c => c.Findings).Select(f => f.Finding).ToHashSet(StringComparer.Ordinal);
            foreach (var f in kb.Findings.Where(f => !used.Contains(f.Id)))
                ctx.AddFailure("Findings", $"Finding '{f.Id}' is not used by any condition (orphan).");

            // A normalised name may belong to one condition only, or gold labels would match ambiguously.
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in kb.Conditions)
            {
                foreach (var name in KnowledgeBase.NamesOf(c).Distinct(StringComparer.Ordinal))
                {
                    var key = ConditionNames.Normalize(name);
                    if (key.Length == 0) { ctx.AddFailure("Conditions", $"Condition '{c.Id}' has an empty name or synonym."); continue; }
                    if (owners.TryGetValue(key, out var other) && other != c.Id)
                        ctx.AddFailure("Conditions", $"Synonym '{name}' of condition '{c.Id}' collides with condition '{other}'.");
                    else owners[key] = c.Id;
                }
            }
        });

        RuleForEach(kb => kb.Conditions).Custom((c, ctx) => CheckCondition((KnowledgeBase)ctx.InstanceToValidate, c, ctx));
        RuleForEach(kb => kb.Findings).Custom((f, ctx) => CheckFinding(f, ctx));
        RuleForEach(kb => kb.Tests).Custom((t, ctx) => CheckTest(t, ctx));
        RuleForEach(kb => kb.References).Custom((r, ctx) => CheckReference((KnowledgeBase)ctx.InstanceToValidate, r, ctx));
    }

    private static void CheckCondition(KnowledgeBase kb, Condition c, ValidationContext<KnowledgeBase> ctx)
    {
        var at = $"Condition '{c.Id}'";
        if (!CodeFormats.IsKebabId(c.Id)) ctx.AddFailure($"{at}: id must be lower-case kebab case.");
        if (string.IsNullOrWhiteSpace(c.Name)) ctx.AddFailure($"{at}: name is empty.");
        if (string.IsNullOrWhiteSpace(c.System)) ctx.AddFailure($"{at}: system (category) is empty.");
        if (c.Codes.Icd10.Count == 0) ctx.AddFailure($"{at}: needs at least one ICD-10-CM code.");
        CheckCodes(at, c.Codes, ctx);

        var p = c.Prevalence;
        foreach (var (setting, v) in new[] { ("emergency", p.Emergency), ("inpatient", p.Inpatient), ("primary care", p.PrimaryCare) })
            if (!(v > 0 && v < 1000)) ctx.AddFailure($"{at}: prevalence in {setting} must be within (0, 1000) per 1,000 encounters, was {v}.");
        CheckSource($"{at} prevalence", p.Source, p.Source == ConditionFinding.Estimate ? null : p.Source, kb, ctx, referenceIsSource: true);

        if (c.Findings.Count < MinFindingsPerCondition)
            ctx.AddFailure($"{at}: needs at least {MinFindingsPerCondition} findings, has {c.Findings.Count}.");
        foreach (var dup in c.Findings.GroupBy(f => f.Finding).Where(g => g.Count() > 1))
            ctx.AddFailure($"{at}: finding '{dup.Key}' is listed {dup.Count()} times.");
        foreach (var f in c.Findings) CheckConditionFinding(kb, at, f, ctx);
        CheckOverlappingThresholds(kb, at, c, ctx);

        if (c.References.Count == 0) ctx.AddFailure($"{at}: needs at least one reference.");
        foreach (var r in c.References.Where(r => kb.Reference(r) is null))
            ctx.AddFailure($"{at}: reference '{r}' does not exist.");
        foreach (var t in c.Tests)
        {
            if (kb.Test(t.Test) is null) ctx.AddFailure($"{at}: test '{t.Test}' does not exist.");
            if (string.IsNullOrWhiteSpace(t.Distinguishes)) ctx.AddFailure($"{at}: test '{t.Test}' must say what it distinguishes.");
        }
        foreach (var dup in c.Tests.GroupBy(t => t.Test).Where(g => g.Count() > 1))
            ctx.AddFailure($"{at}: test '{dup.Key}' is listed {dup.Count()} times.");
    }

    // Two findings that test the same observation in the same direction (potassium > 5.5 and > 6.5)
    // are nested: the model multiplies their likelihood ratios as if independent, counting the evidence twice.
    private static void CheckOverlappingThresholds(KnowledgeBase kb, string at, Condition c, ValidationContext<KnowledgeBase> ctx)
    {
        var seen = new Dictionary<(string Loinc, bool Above), string>();
        foreach (var id in c.Findings.Select(f => f.Finding).Distinct(StringComparer.Ordinal))
        {
            if (kb.Finding(id) is not { } finding) continue;
            var keys = finding.Detection.Observations
                .Where(o => o.Threshold is not null && Comparators.Contains(o.Comparator))
                .SelectMany(o => o.Loinc.Select(l => (Loinc: l, Above: o.Comparator.StartsWith('>'))))
                .Distinct();
            foreach (var key in keys)
            {
                if (seen.TryGetValue(key, out var other) && other != id)
                    ctx.AddFailure($"{at}: findings '{other}' and '{id}' both test LOINC {key.Loinc} {(key.Above ? "above" : "below")} a threshold; keep one so the evidence is not counted twice.");
                else seen[key] = id;
            }
        }
    }

    private static void CheckConditionFinding(KnowledgeBase kb, string at, ConditionFinding f, ValidationContext<KnowledgeBase> ctx)
    {
        var where = $"{at}, finding '{f.Finding}'";
        if (kb.Finding(f.Finding) is null) ctx.AddFailure($"{where}: finding does not exist in the catalogue.");
        if (f.Sensitivity is double se && !(se > 0 && se < 1)) ctx.AddFailure($"{where}: sensitivity must be within (0, 1), was {se}.");
        if (f.Specificity is double sp && !(sp > 0 && sp < 1)) ctx.AddFailure($"{where}: specificity must be within (0, 1), was {sp}.");
        if (f.Sensitivity.HasValue != f.Specificity.HasValue) ctx.AddFailure($"{where}: give sensitivity and specificity together.");
        if (f.LrPositive is double lp && !(lp > 0)) ctx.AddFailure($"{where}: LR+ must be > 0, was {lp}.");
        if (f.LrNegative is double ln && !(ln > 0)) ctx.AddFailure($"{where}: LR− must be > 0, was {ln}.");

        if (f.PositiveLikelihoodRatio is not double pos || f.NegativeLikelihoodRatio is not double neg)
        {
            ctx.AddFailure($"{where}: needs LR+ and LR− (or sensitivity and specificity).");
        }
        else if (pos > 0 && neg > 0)
        {
            if (f.Effect == FindingEffect.Supports && (pos < 1 || neg > 1))
                ctx.AddFailure($"{where}: a supporting finding needs LR+ ≥ 1 and LR− ≤ 1 (was {pos:0.##}/{neg:0.##}); mark it \"effect\": \"refutes\" if it argues against.");
            if (f.Effect == FindingEffect.Refutes && (pos > 1 || neg < 1))
                ctx.AddFailure($"{where}: a refuting finding needs LR+ ≤ 1 and LR− ≥ 1 (was {pos:0.##}/{neg:0.##}).");
        }
        CheckSource(where, f.Source, f.Reference, kb, ctx, referenceIsSource: false);
    }

    private static void CheckSource(string where, string source, string? reference, KnowledgeBase kb,
        ValidationContext<KnowledgeBase> ctx, bool referenceIsSource)
    {
        if (referenceIsSource)
        {
            if (source != ConditionFinding.Estimate && kb.Reference(source) is null)
                ctx.AddFailure($"{where}: source must be \"estimate\" or an existing reference id, was '{source}'.");
            return;
        }
        if (source == ConditionFinding.Published)
        {
            if (reference is null) ctx.AddFailure($"{where}: a published value needs a reference.");
            else if (kb.Reference(reference) is null) ctx.AddFailure($"{where}: reference '{reference}' does not exist.");
        }
        else if (source == ConditionFinding.Estimate)
        {
            if (reference is not null && kb.Reference(reference) is null)
                ctx.AddFailure($"{where}: reference '{reference}' does not exist.");
        }
        else ctx.AddFailure($"{where}: source must be \"published\" or \"estimate\", was '{source}'.");
    }

    private static void CheckFinding(Finding f, ValidationContext<KnowledgeBase> ctx)
    {
        var at = $"Finding '{f.Id}'";
        if (!CodeFormats.IsKebabId(f.Id)) ctx.AddFailure($"{at}: id must be lower-case kebab case.");
        if (string.IsNullOrWhiteSpace(f.Name)) ctx.AddFailure($"{at}: name is empty.");
        var d = f.Detection;
        if (d.IsEmpty) ctx.AddFailure($"{at}: says nothing about how to detect it in a record.");
        CheckCodes(at, d.Codes, ctx);
        foreach (var o in d.Observations)
        {
            CheckLoinc(at, o.Loinc, ctx);
            if (o.Comparator == "=")
            {
                if (string.IsNullOrWhiteSpace(o.Value) || o.Threshold is not null)
                    ctx.AddFailure($"{at}: a qualitative criterion (\"=\") needs a value and no threshold.");
            }
            else if (!Comparators.Contains(o.Comparator)) ctx.AddFailure($"{at}: comparator '{o.Comparator}' is not one of >, >=, <, <=, =.");
            else if (o.Threshold is null) ctx.AddFailure($"{at}: comparator '{o.Comparator}' needs a threshold.");
            else if (string.IsNullOrWhiteSpace(o.Unit) || !CodeFormats.IsUcumLike(o.Unit))
                ctx.AddFailure($"{at}: threshold {o.Threshold} needs a UCUM unit.");
        }
        foreach (var t in d.Trends)
        {
            CheckLoinc(at, t.Loinc, ctx);
            if (!Comparators.Contains(t.Comparator)) ctx.AddFailure($"{at}: trend comparator '{t.Comparator}' is not one of >, >=, <, <=.");
            if (string.IsNullOrWhiteSpace(t.Unit) || !CodeFormats.IsUcumLike(t.Unit)) ctx.AddFailure($"{at}: trend threshold {t.Threshold} needs a UCUM unit.");
            if (t.MinResults < 2) ctx.AddFailure($"{at}: a trend needs at least 2 results.");
            if (t.Measure != TrendMeasure.SlopePerYear && !(t.WindowHours > 0)) ctx.AddFailure($"{at}: a {t.Measure} trend needs a window in hours.");
        }
        foreach (var m in d.Medications)
        {
            if (string.IsNullOrWhiteSpace(m.Name) || m.Name != m.Name.ToLowerInvariant()) ctx.AddFailure($"{at}: medication name '{m.Name}' must be lower case.");
            if (m.Rxnorm is not null && !m.Rxnorm.All(char.IsAsciiDigit)) ctx.AddFailure($"{at}: RxNorm code '{m.Rxnorm}' is not numeric.");
        }
        foreach (var phrase in d.Phrases.Where(p => string.IsNullOrWhiteSpace(p) || p != p.ToLowerInvariant()))
            ctx.AddFailure($"{at}: note phrase '{phrase}' must be non-empty lower case.");
        if (d.Demographic is { } g)
        {
            if (g.Sex is not null and not "female" and not "male") ctx.AddFailure($"{at}: sex must be \"female\" or \"male\".");
            if (g.MinAge > g.MaxAge) ctx.AddFailure($"{at}: minimum age is above maximum age.");
            if (g.MinAge is null && g.MaxAge is null && g.Sex is null) ctx.AddFailure($"{at}: demographic criterion is empty.");
        }
    }

    private static void CheckTest(DiagnosticTest t, ValidationContext<KnowledgeBase> ctx)
    {
        var at = $"Test '{t.Id}'";
        if (!CodeFormats.IsKebabId(t.Id)) ctx.AddFailure($"{at}: id must be lower-case kebab case.");
        if (string.IsNullOrWhiteSpace(t.Name)) ctx.AddFailure($"{at}: name is empty.");
        if (string.IsNullOrWhiteSpace(t.RulesIn) || string.IsNullOrWhiteSpace(t.RulesOut)) ctx.AddFailure($"{at}: must say what it rules in and out.");
        CheckLoinc(at, t.Loinc, ctx);
        foreach (var s in t.Snomed.Where(s => !CodeFormats.IsSnomedConcept(s)))
            ctx.AddFailure($"{at}: SNOMED CT code '{s}' is malformed (digits, partition, Verhoeff check digit).");
    }

    private static void CheckReference(KnowledgeBase kb, Reference r, ValidationContext<KnowledgeBase> ctx)
    {
        var at = $"Reference '{r.Id}'";
        if (!CodeFormats.IsKebabId(r.Id)) ctx.AddFailure($"{at}: id must be lower-case kebab case.");
        if (string.IsNullOrWhiteSpace(r.Title) || string.IsNullOrWhiteSpace(r.Source)) ctx.AddFailure($"{at}: needs a title and a source.");
        if (r.Year < 1900 || r.Year > 2100) ctx.AddFailure($"{at}: year {r.Year} is implausible.");
        if (r.Doi is null && r.Url is null) ctx.AddFailure($"{at}: needs a DOI or a URL.");
        if (r.Doi is not null && !CodeFormats.IsDoi(r.Doi)) ctx.AddFailure($"{at}: DOI '{r.Doi}' is malformed (expected 10.xxxx/suffix).");
        if (r.Url is not null && !(Uri.TryCreate(r.Url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http"))
            ctx.AddFailure($"{at}: URL '{r.Url}' is not an absolute http(s) URL.");
        foreach (var p in r.Passages)
        {
            if (string.IsNullOrWhiteSpace(p.Text)) ctx.AddFailure($"{at}: a passage for '{p.Condition}' has no text.");
            if (kb.Condition(p.Condition) is null) ctx.AddFailure($"{at}: passage condition '{p.Condition}' does not exist.");
            if (!p.Paraphrase) ctx.AddFailure($"{at}: the passage for '{p.Condition}' must be the project's own paraphrase (\"paraphrase\": true); quotations are not stored.");
        }
        foreach (var dup in r.Passages.GroupBy(p => p.Condition).Where(g => g.Count() > 1))
            ctx.AddFailure($"{at}: condition '{dup.Key}' has {dup.Count()} passages; keep one key statement per condition.");
    }

    private static void CheckCodes(string at, Codes codes, ValidationContext<KnowledgeBase> ctx)
    {
        foreach (var code in codes.Icd10.Where(c => !CodeFormats.IsIcd10Cm(c)))
            ctx.AddFailure($"{at}: ICD-10-CM code '{code}' is malformed.");
        foreach (var code in codes.Snomed.Where(c => !CodeFormats.IsSnomedConcept(c)))
            ctx.AddFailure($"{at}: SNOMED CT code '{code}' is malformed (digits, partition, Verhoeff check digit).");
    }

    private static void CheckLoinc(string at, IReadOnlyList<string> codes, ValidationContext<KnowledgeBase> ctx)
    {
        foreach (var code in codes.Where(c => !CodeFormats.IsLoinc(c)))
            ctx.AddFailure($"{at}: LOINC code '{code}' is malformed (digits, hyphen, mod-10 check digit).");
    }

    private static void Unique(ValidationContext<KnowledgeBase> ctx, string what, IEnumerable<string> ids)
    {
        foreach (var dup in ids.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1))
            ctx.AddFailure($"Duplicate {what} id '{dup.Key}' ({dup.Count()} times).");
    }
}
