using System.Globalization;
using System.Text;
using static ClinicianPortal.Shared.Records.Synthetic.Terminology;

namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// Clinical notes in the shape clinicians write them: history with pertinent negatives ("denies chest
/// pain"), past history ("history of DVT"), medications, examination, results, assessment and plan.
/// With identifiers on, the header and the narrative carry the patient's synthetic name, MRN, phone
/// and address, as real exports do; without, the note refers to "this 67-year-old man".
/// </summary>
internal sealed partial class PatientGenerator
{
    private (double Systolic, double Diastolic, double HeartRate, double Weight)? lastVitals;

    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        [Metformin.Code!] = "metformin XR",
        [Amlodipine.Code!] = "amlodipine",
        [Warfarin.Code!] = "warfarin",
        [Salbutamol.Code!] = "salbutamol inhaler",
        [Aspirin.Code!] = "aspirin",
        [Clopidogrel.Code!] = "clopidogrel",
        [Nitroglycerin.Code!] = "nitroglycerin spray",
        [Ceftriaxone.Code!] = "ceftriaxone",
        [PiperacillinTazobactam.Code!] = "piperacillin-tazobactam",
        [Vancomycin.Code!] = "vancomycin",
        [Ibuprofen.Code!] = "ibuprofen",
        [FurosemideInjection.Code!] = "furosemide IV",
    };

    private static readonly Dictionary<string, string> ProblemNames = new(StringComparer.Ordinal)
    {
        [Type2Diabetes.Code!] = "type 2 diabetes",
        [DiabeticKidneyDisease.Code!] = "diabetic kidney disease",
        [HeartFailure.Code!] = "chronic heart failure",
        [Copd.Code!] = "COPD",
        [Hypertension.Code!] = "hypertension",
        [AtrialFibrillation.Code!] = "atrial fibrillation",
        [Hyperlipidemia.Code!] = "hyperlipidaemia",
        [Obesity.Code!] = "obesity",
        [OsteoarthritisKnee.Code!] = "osteoarthritis of the knee",
        [DeepVeinThrombosis.Code!] = "DVT",
    };

    private static string Fmt(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Fmt(double value, int decimals) => Round(value, decimals).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset at) => FhirBundleWriter.FormatDate(at);

    private string Man => plan.Female ? "woman" : "man";

    private string Pronoun() => plan.Female ? "She" : "He";

    private string Possessive => plan.Female ? "her" : "his";

    /// <summary>How the note names the patient at the acute presentation.</summary>
    private string Subject() => SubjectAt(plan.AcuteStart ?? plan.HistoryEnd);

    private string SubjectAt(DateTimeOffset at) => identity is { } id
        ? $"{(plan.Female ? "Mrs." : "Mr.")} {id.Family}, a {AgeAt(at)}-year-old {Man},"
        : $"This {AgeAt(at)}-year-old {Man}";

    private StringBuilder Header(string title, DateTimeOffset at)
    {
        var text = new StringBuilder();
        text.Append(title).Append('\n');
        text.Append("Date: ").Append(FhirBundleWriter.FormatDateTime(at)).Append('\n');
        if (identity is { } id)
        {
            text.Append("Patient: ").Append(id.Given).Append(' ').Append(id.Family)
                .Append("    MRN: ").Append(id.Mrn)
                .Append("    DOB: ").Append(Date(plan.BirthDate)).Append('\n');
            text.Append("Phone: ").Append(id.Phone).Append("    Address: ").Append(id.Street).Append(", ").Append(id.City)
                .Append(", MA ").Append(id.PostalCode).Append('\n');
            text.Append("Attending: Dr. ").Append(id.Clinician).Append('\n');
        }
        text.Append('\n');
        return text;
    }

    private string Problems(DateTimeOffset at)
    {
        var names = conditions
            .Where(c => c.Category == "problem-list-item" && c.Onset <= at && (c.Abatement is null || c.Abatement > at))
            .Select(c => ProblemNames.TryGetValue(c.Code.Code!, out var name) ? name : c.Code.Display!.ToLowerInvariant())
            .Distinct()
            .ToList();
        return names.Count == 0 ? "no chronic medical problems" : string.Join(", ", names);
    }

    private string PastHistory(DateTimeOffset at)
    {
        var past = conditions.Where(c => c.Abatement is { } end && end <= at && c.Category == "problem-list-item" && c.Code == DeepVeinThrombosis).ToList();
        var text = $"Past medical history: {Problems(at)}.";
        foreach (var p in past) text += $" History of DVT ({p.Onset.Year}), treated with six months of warfarin.";
        if (conditions.Any(c => c.Code == CopdExacerbation && c.Onset < at))
            text += $" {conditions.Count(c => c.Code == CopdExacerbation && c.Onset < at)} previous hospital admission(s) for COPD exacerbation.";
        return text;
    }

    private string Medications(DateTimeOffset at)
    {
        var active = medications
            .Where(m => m.Start <= at && (m.End is null || m.End > at) && m.Encounter is null)
            .Select(m => $"{(ShortNames.TryGetValue(m.Code.Code!, out var name) ? name : m.Code.Display)} {m.Dose}")
            .ToList();
        return active.Count == 0 ? "Medications: none." : "Medications: " + string.Join("; ", active) + ".";
    }

    private string Allergies() => allergies.Count == 0
        ? "Allergies: no known drug allergies."
        : "Allergies: " + string.Join("; ", allergies.Select(a => $"{a.Code.Display!.Replace("Allergy to ", "", StringComparison.Ordinal).Replace(" allergy", "", StringComparison.Ordinal).ToLowerInvariant()} ({a.Reaction!.Display!.ToLowerInvariant()})")) + ".";

    private string Social() => plan.Smoking switch
    {
        "current" => "Social history: current smoker, 20 cigarettes a day (40 pack-years). Alcohol: 4 units a week.",
        "former" => "Social history: former smoker, quit 8 years ago (30 pack-years). Alcohol: occasional.",
        _ => "Social history: never smoker. Alcohol: occasional. Lives with family, independent.",
    };

    private string EmergencyNote(DateTimeOffset at, ArrivalVitals vitals, string complaint, string hpi, string negatives, string exam, string data, string[] differential, string plan)
    {
        var ordered = differential.OrderBy(_ => rng.NextUInt64()).ToList();
        var text = Header("EMERGENCY DEPARTMENT NOTE", at);
        text.Append("Chief complaint: ").Append(complaint).Append(".\n\n");
        text.Append("History of present illness: ").Append(hpi).Append(' ').Append(negatives).Append("\n\n");
        text.Append(PastHistory(at)).Append('\n');
        text.Append(Medications(at)).Append('\n');
        text.Append(Allergies()).Append('\n');
        text.Append(Social()).Append("\n\n");
        text.Append("Review of systems: otherwise negative except as above.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Examination: BP {Fmt(vitals.Systolic)}/{Fmt(vitals.Diastolic)} mmHg, HR {Fmt(vitals.HeartRate)}/min, RR {Fmt(vitals.RespiratoryRate)}/min, T {Fmt(vitals.Temperature)} C, SpO2 {Fmt(vitals.Saturation)}% on room air. ");
        text.Append(exam).Append("\n\n");
        text.Append("Results: ").Append(data).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Assessment: {AgeAt(at)}-year-old {Man} with {Problems(at)} presenting with {complaint}. ");
        text.Append("Differential diagnosis includes ").Append(string.Join(", ", ordered)).Append(".\n\n");
        text.Append("Plan: ").Append(plan).Append('\n');
        return text.ToString();
    }

    private string VisitNote(DateTimeOffset at, int number, List<string> changes)
    {
        var text = Header(number == 0 ? "HISTORY AND PHYSICAL" : "PROGRESS NOTE", at);
        text.Append(SubjectAt(at)).Append(number == 0 ? " is seen as a new patient to establish care for " : " is seen for follow-up of ")
            .Append(Problems(at)).Append(".\n\n");
        text.Append("Interval history: ").Append(IntervalHistory()).Append("\n\n");
        text.Append(PastHistory(at)).Append('\n');
        text.Append(Medications(at)).Append('\n');
        text.Append(Allergies()).Append('\n');
        text.Append(Social()).Append("\n\n");
        if (lastVitals is { } v)
        {
            text.Append(CultureInfo.InvariantCulture, $"Examination: BP {Fmt(v.Systolic, 0)}/{Fmt(v.Diastolic, 0)} mmHg, HR {Fmt(v.HeartRate, 0)}/min, weight {Fmt(v.Weight, 1)} kg. ");
            text.Append(plan.HeartFailure ? "JVP not raised. Bibasal fine crackles. Mild pitting ankle oedema." :
                plan.Copd ? "Prolonged expiration with scattered wheeze. No crackles. No oedema." :
                "Heart sounds normal, chest clear, no peripheral oedema.").Append("\n\n");
        }
        var results = Trends(at);
        if (results.Length > 0) text.Append("Results: ").Append(results).Append("\n\n");
        text.Append("Assessment and plan: ");
        text.Append(changes.Count > 0 ? string.Join(" ", changes) : "Stable. Continue current medications.");
        text.Append(" Review in 6 months with blood tests before the visit.\n");
        return text.ToString();
    }

    private string IntervalHistory()
    {
        var parts = new List<string>();
        if (plan.HeartFailure) parts.Add("Stable breathlessness on moderate exertion (NYHA class II), sleeps on two pillows, mild ankle swelling. Denies chest pain or syncope.");
        if (plan.Copd) parts.Add("Chronic morning cough with white sputum, breathless walking uphill. No fever. Uses salbutamol two or three times a week.");
        if (plan.Diabetes) parts.Add("No polyuria or polydipsia. No hypoglycaemic episodes. Denies numbness of the feet.");
        if (plan.AtrialFibrillation) parts.Add("Occasional palpitations. No bleeding or bruising on anticoagulation.");
        if (plan.Ckd) parts.Add("No urinary symptoms. Avoiding NSAIDs.");
        if (plan.Hypertension && parts.Count == 0) parts.Add("No headaches or visual disturbance. Home readings mostly around 135/85.");
        if (parts.Count == 0) parts.Add("Feels well. Denies chest pain, breathlessness or fever.");
        return string.Join(" ", parts);
    }

    private string Trends(DateTimeOffset at)
    {
        var parts = new List<string>();
        static string Series(IEnumerable<(DateTimeOffset At, double Value)> series) => string.Join(" -> ", series.Select(s => Fmt(s.Value)));
        var since = at.AddYears(-2);
        var a1c = hba1cSeries.Where(s => s.At >= since && s.At <= at.AddHours(2)).ToList();
        if (a1c.Count > 0) parts.Add($"HbA1c {Series(a1c)}% over the past two years.");
        var egfr = egfrSeries.Where(s => s.At >= since && s.At <= at.AddHours(2)).ToList();
        if (egfr.Count > 0 && (plan.Ckd || egfr[^1].Value < 60)) parts.Add($"eGFR {Series(egfr)} mL/min/1.73m2.");
        if (lastLvef is { } ef) parts.Add($"Last echocardiogram LVEF {Fmt(ef)}%.");
        return string.Join(" ", parts);
    }

    private string HeartFailureDischargeNote(DateTimeOffset admitted, DateTimeOffset discharged, double peptide, double weight, double dischargeWeight, bool echo)
    {
        var text = Header("DISCHARGE SUMMARY", discharged);
        var peptideName = plan.NtProBnp ? "NT-proBNP" : "BNP";
        text.Append(CultureInfo.InvariantCulture, $"Admitted: {Date(admitted)}. Discharged: {Date(discharged)}.\n");
        text.Append("Principal diagnosis: acute decompensated chronic heart failure.\n\n");
        text.Append(SubjectAt(admitted)).Append(" with ").Append(Problems(admitted))
            .Append(" presented with one week of worsening breathlessness, orthopnoea, paroxysmal nocturnal dyspnoea and ankle swelling, with a weight gain of 4 kg. ")
            .Append("Denies chest pain, fever or cough. Admits to dietary indiscretion over the holidays.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Findings: {peptideName} {Fmt(peptide)} pg/mL. Chest X-ray with interstitial oedema and bilateral effusions.");
        if (echo && lastLvef is { } ef) text.Append(CultureInfo.InvariantCulture, $" Echocardiogram: LVEF {Fmt(ef)}%.");
        text.Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Hospital course: treated with IV furosemide 80 mg twice daily with good diuresis. Weight {Fmt(weight, 1)} kg on admission, {Fmt(dischargeWeight, 1)} kg at discharge. ");
        text.Append("Renal function stable. Switched back to oral furosemide on day ").Append(Math.Max(1, (discharged - admitted).Days - 2) + 1).Append(".\n\n");
        text.Append("Discharge ").Append(Medications(discharged)).Append('\n');
        text.Append("Follow-up: heart failure clinic in 2 weeks. Daily weights; return if weight rises by more than 2 kg in 3 days.\n");
        return text.ToString();
    }

    private string HeartFailureDeathNote(DateTimeOffset admitted, DateTimeOffset died, double peptide, double weight)
    {
        var text = Header("DISCHARGE SUMMARY (DEATH)", died);
        var peptideName = plan.NtProBnp ? "NT-proBNP" : "BNP";
        text.Append(CultureInfo.InvariantCulture, $"Admitted: {Date(admitted)}. Died: {Date(died)}.\n");
        text.Append("Principal diagnosis: end-stage chronic heart failure with cardiorenal syndrome.\n\n");
        text.Append(SubjectAt(admitted)).Append(" with ").Append(Problems(admitted))
            .Append(CultureInfo.InvariantCulture, $" was admitted with breathlessness at rest and anasarca, weight {Fmt(weight, 1)} kg. {peptideName} {Fmt(peptide)} pg/mL. ")
            .Append("Denies chest pain. ")
            .Append("Despite IV diuretics, renal function worsened and blood pressure fell. After discussion with the patient and family, ")
            .Append("care was redirected to comfort measures in line with ").Append(Possessive).Append(" wishes. ")
            .Append(Pronoun()).Append(" died peacefully on hospital day 6 with family present.\n\n");
        text.Append("Admission ").Append(Medications(admitted)).Append('\n');
        return text.ToString();
    }

    private string CopdDischargeNote(DateTimeOffset admitted, DateTimeOffset discharged, double saturation, double temperature, double heartRate, double leukocytes, double crp, bool penicillinAllergic)
    {
        var text = Header("DISCHARGE SUMMARY", discharged);
        text.Append(CultureInfo.InvariantCulture, $"Admitted: {Date(admitted)}. Discharged: {Date(discharged)}.\n");
        text.Append("Principal diagnosis: acute exacerbation of COPD.\n\n");
        text.Append(SubjectAt(admitted)).Append(" with ").Append(Problems(admitted))
            .Append(" presented with three days of increased breathlessness, wheeze and a change in sputum from white to green. ")
            .Append("No chest pain. No haemoptysis. No leg swelling.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Findings: SpO2 {Fmt(saturation, 0)}% on room air, T {Fmt(temperature, 1)} C, HR {Fmt(heartRate, 0)}/min. WBC {Fmt(leukocytes, 1)} x10^3/uL, CRP {Fmt(crp)} mg/L. ");
        text.Append("Chest X-ray: hyperinflation, no consolidation.\n\n");
        text.Append("Hospital course: controlled oxygen to 88-92%, nebulised bronchodilators, prednisone 40 mg daily for 5 days and doxycycline for 5 days")
            .Append(penicillinAllergic ? " (penicillin allergy)" : "").Append(". Improved steadily; saturations 92% on room air at discharge.\n\n");
        text.Append("Discharge ").Append(Medications(discharged)).Append('\n');
        text.Append("Follow-up: GP in 1 week, pulmonary rehabilitation referral. Smoking cessation advice given.\n");
        return text.ToString();
    }
}
