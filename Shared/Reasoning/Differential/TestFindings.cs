using ClinicianPortal.Shared.Knowledge;

namespace ClinicianPortal.Shared.Reasoning.Differential;

/// <summary>Which knowledge-base findings a test's result settles.</summary>
public static class TestFindings
{
    /// <summary>
    /// Tests whose findings have no LOINC code to match on (imaging, ECG, CSF, swabs). Findings missing from
    /// a knowledge base are skipped. This belongs in the test catalogue (a "determines" field) once the KB has one.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Curated = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["ecg-12-lead"] = ["st-elevation", "st-depression-twi", "diffuse-st-elevation-pr-depression", "af-on-ecg", "peaked-t-waves", "low-voltage-alternans"],
        ["chest-xray"] = ["infiltrate-on-cxr", "cxr-congestion", "pneumothorax-on-imaging", "widened-mediastinum"],
        ["ct-chest"] = ["infiltrate-on-cxr", "lung-mass-on-imaging", "bronchiectasis-on-ct", "pneumothorax-on-imaging"],
        ["lumbar-puncture"] = ["csf-pleocytosis", "xanthochromia"],
        ["ketones-blood"] = ["ketones-positive"],
        ["throat-swab-strep"] = ["pos-strep-test"],
        ["abdominal-us"] = ["gallbladder-us-findings", "bile-duct-dilatation", "liver-lesion-on-imaging"],
        ["ct-abdomen"] = ["free-air-or-dilated-loops", "liver-lesion-on-imaging", "pancreatic-mass-on-imaging"],
        ["ct-kub"] = ["ct-stone"],
    };

    /// <summary>Findings sharing a LOINC code with the test (observations and trends), then the curated ones.</summary>
    public static IEnumerable<string> Determined(KnowledgeBase kb, DiagnosticTest test)
    {
        ArgumentNullException.ThrowIfNull(kb);
        ArgumentNullException.ThrowIfNull(test);
        var loinc = test.Loinc.ToHashSet(StringComparer.Ordinal);
        foreach (var finding in kb.Findings)
        {
            var codes = finding.Detection.Observations.SelectMany(o => o.Loinc).Concat(finding.Detection.Trends.SelectMany(t => t.Loinc));
            if (codes.Any(loinc.Contains)) yield return finding.Id;
        }
        if (Curated.TryGetValue(test.Id, out var curated))
            foreach (var id in curated)
                if (kb.Finding(id) is not null) yield return id;
    }
}
