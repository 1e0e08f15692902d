using static ClinicianPortal.Shared.Records.Synthetic.Terminology;

namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>Vital signs, laboratory results with ranges and flags, panels, echo, ECG and spirometry.</summary>
internal sealed partial class PatientGenerator
{
    private void WriteRoutineVitals(DateTimeOffset at, string? encounter, bool withBmi, bool withHeight)
    {
        var bloodPressure = BloodPressureAt(at);
        lastSystolic = Round(bloodPressure.Systolic, 0);
        WriteBloodPressure(bloodPressure, at, encounter);
        var weight = WeightAt(at);
        var heartRate = HeartRateAt();
        lastVitals = (bloodPressure.Systolic, bloodPressure.Diastolic, heartRate, weight);
        WriteVital(HeartRate, heartRate, at, encounter);
        WriteVital(Weight, weight, at, encounter);
        if (withHeight) WriteVital(Height, plan.HeightCm, at, encounter);
        if (withBmi) WriteVital(Bmi, Math.Round(weight, 1) / (plan.HeightCm / 100 * (plan.HeightCm / 100)), at, encounter);
        if (plan.Copd) WriteVital(OxygenSaturation, 93 + rng.Noise(1.2), at, encounter);
    }

    private void WriteVital(LabTest test, double value, DateTimeOffset at, string? encounter)
    {
        fhir.BeginResource("Observation", rng.NextUuid());
        fhir.Json.WriteString("status", "final");
        fhir.SystemCategory("category", ObservationCategorySystem, "vital-signs", "Vital Signs");
        fhir.CodeableConcept("code", test.Code);
        WriteContext(at, encounter);
        fhir.Quantity("valueQuantity", Round(value, test.Decimals), test.Unit);
        fhir.EndResource();
        observationCount++;
    }

    /// <summary>The blood pressure panel, systolic and diastolic as components.</summary>
    private void WriteBloodPressure((double Systolic, double Diastolic) bloodPressure, DateTimeOffset at, string? encounter)
    {
        var json = fhir.Json;
        fhir.BeginResource("Observation", rng.NextUuid());
        json.WriteString("status", "final");
        fhir.SystemCategory("category", ObservationCategorySystem, "vital-signs", "Vital Signs");
        fhir.CodeableConcept("code", BloodPressurePanel, "Blood pressure");
        WriteContext(at, encounter);
        json.WriteStartArray("component");
        foreach (var (part, value) in new[] { (Systolic, bloodPressure.Systolic), (Diastolic, bloodPressure.Diastolic) })
        {
            json.WriteStartObject();
            fhir.CodeableConcept("code", part.Code);
            fhir.Quantity("valueQuantity", Round(value, 0), part.Unit);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        fhir.EndResource();
        observationCount++;
    }

    /// <summary>A laboratory result with its reference range and interpretation; returns its id and rounded value.</summary>
    private (string Id, double Value) WriteLab(LabTest test, double value, DateTimeOffset at, string? encounter)
    {
        var json = fhir.Json;
        var id = rng.NextUuid();
        var rounded = Round(Math.Max(value, 0), test.Decimals);
        fhir.BeginResource("Observation", id);
        json.WriteString("status", "final");
        fhir.SystemCategory("category", ObservationCategorySystem, test.Category, test.Category switch
        {
            "imaging" => "Imaging",
            "procedure" => "Procedure",
            _ => "Laboratory",
        });
        fhir.CodeableConcept("code", test.Code);
        WriteContext(at, encounter);
        fhir.Quantity("valueQuantity", rounded, test.Unit);
        if (test.Interpret(rounded, plan.Female) is { } flag)
        {
            json.WriteStartArray("interpretation");
            json.WriteStartObject();
            json.WriteStartArray("coding");
            fhir.SystemCoding(InterpretationSystem, flag, flag switch
            {
                "HH" => "Critical high",
                "LL" => "Critical low",
                "H" => "High",
                "L" => "Low",
                _ => "Normal",
            });
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            var (low, high) = test.RangeFor(plan.Female);
            json.WriteStartArray("referenceRange");
            json.WriteStartObject();
            if (low is { } l) fhir.Quantity("low", l, test.Unit, withSystem: false);
            if (high is { } h) fhir.Quantity("high", h, test.Unit, withSystem: false);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        fhir.EndResource();
        observationCount++;
        Remember(test, at, rounded);
        return (id, rounded);
    }

    private void Remember(LabTest test, DateTimeOffset at, double value)
    {
        if (test == HbA1c) hba1cSeries.Add((at, value));
        else if (test == EgfrCkdEpi || test == EgfrMdrd) egfrSeries.Add((at, value));
        else if (test == Hemoglobin) hemoglobinSeries.Add((at, value));
        else if (test == Creatinine) creatinineSeries.Add((at, value));
        else if (test == Lvef) lastLvef = value;
    }

    private void WriteContext(DateTimeOffset at, string? encounter)
    {
        fhir.Reference("subject", patientId);
        if (encounter is not null) fhir.Reference("encounter", encounter);
        fhir.DateTime("effectiveDateTime", at);
    }

    /// <summary>Sodium, potassium, urea, creatinine, eGFR and glucose, grouped by a DiagnosticReport.</summary>
    private sealed record PanelResult(double Creatinine, double Egfr, double Potassium, double Urea);

    private PanelResult WriteBasicPanel(DateTimeOffset at, string? encounter, double trueEgfr, double creatinineFactor,
        double? potassium = null, double? urea = null, double? sodium = null, double? glucose = null)
    {
        var age = AgeAt(at);
        var creatinine = Round(CreatinineFor(trueEgfr, age) * creatinineFactor, 2);
        // Labs reported MDRD eGFR until they moved to CKD-EPI (here: 2016), so long records carry both codes.
        var mdrd = at.Year < 2016;
        var egfrValue = mdrd ? MdrdEgfr(creatinine, age) : CkdEpiEgfr(creatinine, age);
        var k = potassium ?? (4.3 + (egfrValue < 60 ? (60 - egfrValue) * 0.02 : 0) + (HasActive(Spironolactone) ? 0.2 : 0) + rng.Noise(0.25));
        var ureaResult = WriteLab(Urea, urea ?? 14 + (egfrValue < 60 ? (60 - egfrValue) * 0.4 : 0) + rng.Noise(2.5), at, encounter);
        var ids = new List<string>
        {
            WriteLab(Sodium, sodium ?? (plan.HeartFailure ? 137 : 139) + rng.Noise(1.8), at, encounter).Id,
            WriteLab(Potassium, k, at, encounter).Id,
            ureaResult.Id,
        };
        var creatinineId = WriteLab(Creatinine, creatinine, at, encounter).Id;
        var egfr = WriteLab(mdrd ? EgfrMdrd : EgfrCkdEpi, egfrValue, at, encounter);
        ids.Add(creatinineId);
        ids.Add(egfr.Id);
        ids.Add(WriteLab(Glucose, glucose ?? GlucoseAt(at), at, encounter).Id);
        WriteReport(BasicMetabolicPanel, "LAB", "Laboratory", at, encounter, ids, null);
        return new(creatinine, egfr.Value, Round(k, 1), ureaResult.Value);
    }

    private void WriteBloodCount(DateTimeOffset at, string? encounter, double hemoglobin, double leukocytes, double platelets)
    {
        var ids = new List<string>
        {
            WriteLab(Leukocytes, leukocytes, at, encounter).Id,
            WriteLab(Hemoglobin, hemoglobin, at, encounter).Id,
            WriteLab(Platelets, platelets, at, encounter).Id,
        };
        WriteReport(BloodCountPanel, "LAB", "Laboratory", at, encounter, ids, null);
    }

    private double WriteNatriureticPeptide(DateTimeOffset at, string? encounter, double bnp) =>
        plan.NtProBnp ? WriteLab(NtProBnp, bnp * 6.5, at, encounter).Value : WriteLab(Bnp, bnp, at, encounter).Value;

    private void WriteEcho(DateTimeOffset at, string encounter, double lvef)
    {
        var value = Round(Math.Clamp(lvef, 15, 70), 0);
        WriteProcedure(Echocardiography, at, at.AddMinutes(40), encounter, null);
        var result = WriteLab(Lvef, value, at.AddMinutes(40), encounter);
        var conclusion = value < 40
            ? $"Dilated left ventricle with global hypokinesis. LVEF {Fmt(value)}%. Moderate functional mitral regurgitation. Estimated PASP 45 mmHg."
            : $"Normal left ventricular size. LVEF {Fmt(value)}%. No significant valve disease.";
        WriteReport(Echocardiography, "CUS", "Cardiac Ultrasound", at.AddMinutes(40), encounter, [result.Id], conclusion);
    }

    private void WriteEcg(DateTimeOffset at, string encounter, string impression)
    {
        WriteProcedure(Electrocardiogram, at, at.AddMinutes(10), encounter, null);
        var json = fhir.Json;
        fhir.BeginResource("Observation", rng.NextUuid());
        json.WriteString("status", "final");
        fhir.SystemCategory("category", ObservationCategorySystem, "procedure", "Procedure");
        fhir.CodeableConcept("code", EcgImpression);
        WriteContext(at.AddMinutes(10), encounter);
        json.WriteString("valueString", impression);
        fhir.EndResource();
        observationCount++;
    }

    private void WriteSpirometry(DateTimeOffset at, string encounter)
    {
        WriteProcedure(Spirometry, at, at.AddMinutes(20), encounter, null);
        WriteLab(Fev1Fvc, rng.Between(48, 64), at.AddMinutes(20), encounter);
    }

    private void WriteHomeReadings(int count)
    {
        if (count <= 0) return;
        var span = ((plan.AcuteStart ?? plan.HistoryEnd) - plan.HistoryStart).TotalMinutes;
        for (var i = 0; i < count; i++)
        {
            var at = plan.HistoryStart.AddMinutes(Math.Floor(span * i / count)).AddMinutes(3);
            switch (i % 4)
            {
                case 0: WriteBloodPressure(BloodPressureAt(at), at, null); break;
                case 1: WriteVital(HeartRate, HeartRateAt(), at, null); break;
                case 2: WriteVital(Weight, WeightAt(at), at, null); break;
                default:
                    if (plan.Diabetes) WriteLab(Glucose, GlucoseAt(at), at, null);
                    else WriteVital(OxygenSaturation, 96 + rng.Noise(1), at, null);
                    break;
            }
        }
    }
}
