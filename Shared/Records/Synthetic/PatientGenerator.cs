using static ClinicianPortal.Shared.Records.Synthetic.Terminology;

namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// Writes one patient's bundle: the Patient, then the history in time order (visits, admissions,
/// labs, vitals, procedures, notes), then the acute presentation if any, and last the resources whose
/// final state is only known at the end (conditions, medication requests, care plans).
/// </summary>
internal sealed partial class PatientGenerator
{
    private const string ObservationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category";
    private const string InterpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private const string ActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private const string ReportCategorySystem = "http://terminology.hl7.org/CodeSystem/v2-0074";

    private readonly PatientPlan plan;
    private readonly SyntheticRandom rng;
    private readonly FhirBundleWriter fhir;
    private readonly PatientIdentity? identity;
    /// <summary>Identifiers draw from their own stream, so adding them leaves the clinical content unchanged.</summary>
    private readonly SyntheticRandom? identityRandom;
    private readonly int? observationTarget;
    private readonly string patientId;
    private readonly List<ConditionEntry> conditions = [];
    private readonly List<MedicationEntry> medications = [];
    private readonly List<CarePlanEntry> carePlans = [];
    private readonly List<AllergyEntry> allergies = [];
    private readonly List<(DateTimeOffset At, double Value)> hba1cSeries = [];
    private readonly List<(DateTimeOffset At, double Value)> egfrSeries = [];
    private readonly List<(DateTimeOffset At, double Value)> hemoglobinSeries = [];
    private readonly List<(DateTimeOffset At, double Value)> creatinineSeries = [];
    private double? lastLvef;
    private double lastSystolic;
    private double insulinEffect;
    private int observationCount;
    private int ckdStage;

    public PatientGenerator(PatientPlan plan, SyntheticRandom rng, FhirBundleWriter fhir, SyntheticRandom? identityRandom, int? observationTarget)
    {
        this.plan = plan;
        this.rng = rng;
        this.fhir = fhir;
        this.identityRandom = identityRandom;
        identity = identityRandom is null ? null : PatientIdentity.Draw(identityRandom, plan.Female);
        this.observationTarget = observationTarget;
        patientId = rng.NextUuid();
    }

    public string PatientId => patientId;

    public int ObservationCount => observationCount;

    public void Write()
    {
        fhir.BeginBundle(rng.NextUuid());
        WritePatient();
        DrawAllergies();
        StartChronicConditions();
        WriteImmunizations();
        foreach (var item in Timeline()) item();
        if (plan.Acute) WriteAcutePresentation();
        if (observationTarget is { } target) WriteHomeReadings(target - observationCount);
        WriteDeferred();
        fhir.EndBundle();
    }

    /// <summary>Key conditions for the manifest: the chronic problems on the list at the end of the record.</summary>
    public IReadOnlyList<Coding> KeyConditions =>
        [.. conditions.Where(c => c.Category == "problem-list-item" && c.Abatement is null).Select(c => c.Code).Distinct()];

    // ---------------------------------------------------------------- patient

    private void WritePatient()
    {
        var json = fhir.Json;
        fhir.BeginResource("Patient", patientId);
        if (identity is { } id)
        {
            json.WriteStartArray("identifier");
            WriteIdentifier("MR", "Medical record number", "urn:oid:2.16.840.1.113883.3.9999.1", id.Mrn);
            WriteIdentifier("SS", "Social Security number", "http://hl7.org/fhir/sid/us-ssn", id.Ssn);
            json.WriteEndArray();
        }
        json.WriteBoolean("active", !plan.Deceased);
        if (identity is { } person)
        {
            json.WriteStartArray("name");
            json.WriteStartObject();
            json.WriteString("use", "official");
            json.WriteString("family", person.Family);
            json.WriteStartArray("given");
            json.WriteStringValue(person.Given);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("telecom");
            WriteTelecom("phone", person.Phone);
            WriteTelecom("email", person.Email);
            json.WriteEndArray();
        }
        json.WriteString("gender", plan.Female ? "female" : "male");
        json.WriteString("birthDate", FhirBundleWriter.FormatDate(plan.BirthDate));
        if (plan.DeathDate is { } died) fhir.DateTime("deceasedDateTime", died);
        json.WriteStartArray("address");
        json.WriteStartObject();
        if (identity is { } home)
        {
            json.WriteStartArray("line");
            json.WriteStringValue(home.Street);
            json.WriteEndArray();
            json.WriteString("city", home.City);
            json.WriteString("postalCode", home.PostalCode);
        }
        json.WriteString("state", "MA");
        json.WriteString("country", "US");
        json.WriteEndObject();
        json.WriteEndArray();
        fhir.EndResource();
    }

    private void WriteIdentifier(string typeCode, string typeText, string system, string value)
    {
        var json = fhir.Json;
        json.WriteStartObject();
        json.WriteStartObject("type");
        json.WriteStartArray("coding");
        fhir.SystemCoding("http://terminology.hl7.org/CodeSystem/v2-0203", typeCode, typeText);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString("system", system);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private void WriteTelecom(string system, string value)
    {
        fhir.Json.WriteStartObject();
        fhir.Json.WriteString("system", system);
        fhir.Json.WriteString("value", value);
        fhir.Json.WriteString("use", "home");
        fhir.Json.WriteEndObject();
    }

    // ---------------------------------------------------------------- background

    private void DrawAllergies()
    {
        var recorded = plan.HistoryStart;
        if (rng.Chance(0.25))
        {
            var severe = rng.Chance(0.2);
            allergies.Add(new(PenicillinAllergy, "medication", severe ? "high" : "low", severe ? Anaphylaxis : Urticaria, severe ? "severe" : "mild", recorded));
        }
        if (rng.Chance(0.08)) allergies.Add(new(LatexAllergy, "environment", "low", Urticaria, "mild", recorded));
        if (rng.Chance(0.08)) allergies.Add(new(PeanutAllergy, "food", "high", Anaphylaxis, "severe", recorded));
        if (rng.Chance(0.06)) allergies.Add(new(ShellfishAllergy, "food", "low", Urticaria, "moderate", recorded));
    }

    private void StartChronicConditions()
    {
        var start = plan.HistoryStart;
        DateTimeOffset Onset(bool primary) => primary ? start : start.AddDays(-rng.Next(60, 1800));

        if (plan.Hypertension)
        {
            var htn = AddCondition(Hypertension, Onset(plan.Scenario == CohortScenario.Hypertension));
            // Hypertension first seen at the start is untreated until the first visit's decision.
            if (htn.Onset < start) StartMedication(Amlodipine, "5 mg orally once daily", htn.Onset, htn.Id);
        }
        if (plan.Hyperlipidemia)
        {
            var lipids = AddCondition(Hyperlipidemia, Onset(false));
            StartMedication(Atorvastatin, "40 mg orally once daily at night", lipids.Onset, lipids.Id);
        }
        if (plan.Diabetes)
        {
            var dm = AddCondition(Type2Diabetes, Onset(plan.Scenario == CohortScenario.Type2Diabetes));
            StartMedication(Metformin, "1000 mg orally twice daily with meals", dm.Onset, dm.Id);
            carePlans.Add(new(DiabetesPlan, dm.Onset, dm.Id, ["Home glucose monitoring before breakfast", "Diabetes education: diet and exercise", "Annual retinal and foot examination"]));
            if (plan.WeightKg / (plan.HeightCm / 100 * (plan.HeightCm / 100)) >= 30) AddCondition(Obesity, dm.Onset);
        }
        if (plan.Ckd)
        {
            var onset = Onset(plan.Scenario == CohortScenario.ChronicKidneyDisease);
            ckdStage = StageOf(EgfrAt(onset, noise: false));
            var ckd = AddCondition(CkdCode(ckdStage), onset);
            if (plan.Diabetes) AddCondition(DiabeticKidneyDisease, onset);
            carePlans.Add(new(GenericPlan, onset, ckd.Id, ["Chronic kidney disease management: blood pressure below 130/80", "Avoid NSAIDs and other nephrotoxic drugs", "Renal function and potassium every 3 to 6 months"]));
            if (!HasActive(Lisinopril)) StartMedication(Lisinopril, "10 mg orally once daily", onset, ckd.Id);
        }
        if (plan.HeartFailure)
        {
            var hf = AddCondition(HeartFailure, Onset(plan.Scenario == CohortScenario.HeartFailure));
            StartMedication(Carvedilol, "12.5 mg orally twice daily", hf.Onset, hf.Id);
            if (!HasActive(Lisinopril)) StartMedication(Lisinopril, "10 mg orally once daily", hf.Onset, hf.Id);
            StartMedication(Furosemide, "40 mg orally once daily", hf.Onset, hf.Id);
            StartMedication(Spironolactone, "25 mg orally once daily", hf.Onset, hf.Id);
            carePlans.Add(new(HeartFailurePlan, hf.Onset, hf.Id, ["Daily weights; call if gain over 2 kg in 3 days", "Sodium restriction below 2 g per day", "Fluid restriction 1.5 L per day"]));
        }
        if (plan.AtrialFibrillation)
        {
            var af = AddCondition(AtrialFibrillation, Onset(plan.Scenario == CohortScenario.AtrialFibrillation));
            if (plan.Warfarin) StartMedication(Warfarin, "5 mg orally once daily, adjusted to INR 2-3", af.Onset, af.Id);
            else StartMedication(Apixaban, "5 mg orally twice daily", af.Onset, af.Id);
            if (!HasActive(Carvedilol)) StartMedication(Metoprolol, "50 mg orally twice daily", af.Onset, af.Id);
        }
        if (plan.Copd)
        {
            var copd = AddCondition(Copd, Onset(plan.Scenario == CohortScenario.Copd));
            StartMedication(Tiotropium, "18 mcg inhaled once daily", copd.Onset, copd.Id);
            StartMedication(Salbutamol, "2 puffs inhaled every 4-6 hours as needed for breathlessness", copd.Onset, copd.Id);
            carePlans.Add(new(CopdPlan, copd.Onset, copd.Id, ["Smoking cessation support", "Inhaler technique review", "Pulmonary rehabilitation referral"]));
        }
        if (plan.Osteoarthritis)
        {
            var oa = AddCondition(OsteoarthritisKnee, Onset(false));
            StartMedication(Ibuprofen, "400 mg orally three times daily as needed for knee pain", oa.Onset, oa.Id);
        }
        if (plan.HistoryOfDvt)
        {
            var onset = start.AddDays(-rng.Next(900, 2500));
            var dvt = AddCondition(DeepVeinThrombosis, onset);
            dvt.Abatement = onset.AddDays(180);
            dvt.Status = "resolved";
            var course = StartMedication(Warfarin, "5 mg orally once daily, adjusted to INR 2-3", onset, dvt.Id);
            StopMedication(course, onset.AddDays(180), "completed", "Six-month course for provoked DVT completed");
        }
    }

    private void WriteImmunizations()
    {
        for (var year = plan.HistoryStart.Year; year <= plan.HistoryEnd.Year; year++)
        {
            var october = new DateTimeOffset(year, 10, rng.Next(1, 29), 10, 0, 0, TimeSpan.Zero);
            if (october > plan.HistoryStart && october < plan.HistoryEnd && rng.Chance(0.85)) WriteImmunization(Influenza, october);
        }
        if (rng.Chance(0.7)) WriteImmunization(Tdap, plan.HistoryStart.AddDays(rng.Next(10, 400)));
        var sixtyFive = plan.BirthDate.AddYears(65).AddDays(rng.Next(10, 200));
        if (sixtyFive > plan.HistoryStart && sixtyFive < plan.HistoryEnd) WriteImmunization(Pneumococcal23, sixtyFive);
        var zoster = new DateTimeOffset(2019, 3, 1, 10, 0, 0, TimeSpan.Zero).AddDays(rng.Next(0, 900));
        if (zoster > plan.HistoryStart && zoster < plan.HistoryEnd && plan.Age >= 55 && rng.Chance(0.6)) WriteImmunization(Zoster, zoster);
    }

    // ---------------------------------------------------------------- timeline

    /// <summary>The events of the history in time order, each a closure that writes itself.</summary>
    private List<Action> Timeline()
    {
        var events = new List<(DateTimeOffset At, Action Write)>();
        var end = (plan.AcuteStart ?? plan.HistoryEnd).AddDays(-21);
        var visit = 0;
        for (var at = plan.HistoryStart; at < end; at = PatientPlan.AtHour(at.AddDays(VisitInterval + rng.Next(-14, 15)), 9).AddMinutes(rng.Next(0, 420)))
        {
            var when = at;
            var number = visit++;
            events.Add((when, () => WriteVisit(when, number)));
            if (plan.Warfarin && when.AddDays(91) < end) events.Add((when.AddDays(91), () => WriteInrCheck(when.AddDays(91))));
            if (number == 3 && plan.Age - (plan.HistoryEnd.Year - when.Year) is >= 50 and <= 75 && rng.Chance(0.6))
                events.Add((when.AddDays(30), () => WriteColonoscopy(when.AddDays(30))));
        }
        if (plan.HeartFailure)
        {
            var admissions = new List<DateTimeOffset>();
            for (var at = plan.HistoryStart.AddDays(rng.Next(300, 600)); at < end.AddDays(-30); at = at.AddDays(rng.Next(420, 800)))
                admissions.Add(PatientPlan.AtHour(at, 14));
            if (plan.DeathDate is { } death) admissions.Add(PatientPlan.AtHour(death.AddDays(-6), 14));
            foreach (var at in admissions)
            {
                var fatal = plan.DeathDate is not null && at == admissions[^1];
                events.Add((at, () => WriteHeartFailureAdmission(at, fatal)));
            }
        }
        if (plan.Copd)
        {
            for (var at = plan.HistoryStart.AddDays(rng.Next(200, 500)); at < end.AddDays(-30); at = at.AddDays(rng.Next(300, 700)))
            {
                var when = PatientPlan.AtHour(at, 11);
                events.Add((when, () => WriteCopdAdmission(when)));
            }
        }
        return [.. events.OrderBy(e => e.At).Select(e => e.Write)];
    }

    /// <summary>Six-monthly reviews where the trend is the point (diabetes, CKD, heart failure); yearly otherwise.</summary>
    private int VisitInterval => plan.Scenario is CohortScenario.Type2Diabetes or CohortScenario.ChronicKidneyDisease or CohortScenario.HeartFailure ? 182 : 365;

    private void WriteVisit(DateTimeOffset at, int number)
    {
        var encounter = WriteEncounter("AMB", "ambulatory", number == 0 ? CheckUp : FollowUp, at, at.AddMinutes(90), PrimaryReasons());
        var changes = new List<string>();
        var labsAt = at.AddMinutes(40);
        var yearly = VisitInterval > 300 || number % 2 == 0;
        WriteRoutineVitals(at.AddMinutes(5), encounter, withBmi: yearly, withHeight: number == 0);
        if (plan.Ckd || yearly) WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true), 1.0);
        if (yearly) WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt), rng.Between(5.5, 9.0), rng.Between(190, 320));
        if (plan.Diabetes) WriteLab(HbA1c, HbA1cAt(labsAt), labsAt, encounter);
        if (plan.HeartFailure && yearly) WriteNatriureticPeptide(labsAt, encounter, plan.BnpBaseline * (1 + rng.Noise(0.15)));
        if (plan.Warfarin) WriteLab(Inr, Math.Clamp(2.5 + rng.Noise(0.45), 1.4, 4.2), labsAt, encounter);
        if (number == 0 && plan.HeartFailure) WriteEcho(at.AddMinutes(45), encounter, plan.Lvef + rng.Noise(2));
        if (number > 0 && number % 5 == 0 && plan.HeartFailure) WriteEcho(at.AddMinutes(45), encounter, plan.Lvef + rng.Noise(3));
        if (number == 0 && plan.AtrialFibrillation) WriteEcg(at.AddMinutes(15), encounter, "Atrial fibrillation with a ventricular rate of 92/min. No acute ST changes.");
        if (plan.Copd && number % 6 == 0) WriteSpirometry(at.AddMinutes(20), encounter);

        AdjustTreatment(at, changes);
        if (number == 0 || changes.Count > 0 || number % 4 == 0)
            WriteNote(number == 0 ? NoteKind.HistoryAndPhysical : NoteKind.Progress, at.AddMinutes(90), at, at.AddMinutes(90), encounter, VisitNote(at, number, changes));
    }

    /// <summary>Treatment decisions a clinician would take on this visit's results.</summary>
    private void AdjustTreatment(DateTimeOffset at, List<string> changes)
    {
        var hypertension = conditions.FirstOrDefault(c => c.Code == Hypertension);
        if (hypertension is not null && !HasActive(Amlodipine) && at >= hypertension.Onset)
        {
            StartMedication(Amlodipine, "5 mg orally once daily", at, hypertension.Id);
            changes.Add("Blood pressure above target: started amlodipine 5 mg daily.");
        }
        else if (hypertension is not null && lastSystolic >= 145 && !Started(Hydrochlorothiazide) && !plan.HeartFailure)
        {
            StartMedication(Hydrochlorothiazide, "12.5 mg orally once daily", at, hypertension.Id);
            changes.Add($"Blood pressure {Fmt(lastSystolic)} mmHg systolic on treatment: added hydrochlorothiazide 12.5 mg daily.");
        }
        var diabetes = conditions.FirstOrDefault(c => c.Code == Type2Diabetes);
        if (diabetes is not null && hba1cSeries.Count > 0)
        {
            var a1c = hba1cSeries[^1].Value;
            var egfr = egfrSeries.Count > 0 ? egfrSeries[^1].Value : 90;
            if (a1c >= 8.0 && !HasActive(Empagliflozin) && !Started(Empagliflozin) && egfr >= 30)
            {
                StartMedication(Empagliflozin, "10 mg orally once daily", at, diabetes.Id);
                changes.Add($"HbA1c {Fmt(a1c)}% above target despite metformin: added empagliflozin 10 mg daily.");
            }
            else if (a1c >= 8.8 && !Started(InsulinGlargine))
            {
                StartMedication(InsulinGlargine, "10 units subcutaneously at bedtime, titrate by 2 units every 3 days to fasting glucose 80-130 mg/dL", at, diabetes.Id);
                insulinEffect = 0.9;
                changes.Add($"HbA1c {Fmt(a1c)}% on two oral agents: started basal insulin glargine 10 units at bedtime.");
            }
            if (egfr < 30 && HasActive(Metformin))
            {
                StopMedication(Active(Metformin)!, at, "stopped", "Stopped: eGFR below 30 mL/min/1.73m2");
                changes.Add($"eGFR {Fmt(egfr)}: metformin stopped (contraindicated below 30).");
            }
        }
        if (egfrSeries.Count > 0 && plan.Ckd)
        {
            var egfr = egfrSeries[^1].Value;
            var stage = StageOf(egfr);
            if (stage > ckdStage)
            {
                var old = conditions.Last(c => c.Code == CkdCode(ckdStage));
                old.Abatement = at;
                old.Status = "inactive";
                var ckd = AddCondition(CkdCode(stage), at);
                ckdStage = stage;
                changes.Add($"eGFR now {Fmt(egfr)} mL/min/1.73m2: chronic kidney disease stage {stage}.");
                if (stage >= 4 && HasActive(Spironolactone))
                {
                    StopMedication(Active(Spironolactone)!, at, "stopped", "Stopped: hyperkalaemia risk with eGFR below 30");
                    changes.Add("Spironolactone stopped because of advanced kidney disease.");
                }
                if (stage >= 4 && !HasActive(Furosemide)) StartMedication(Furosemide, "40 mg orally once daily", at, ckd.Id);
            }
        }
    }

    private void WriteInrCheck(DateTimeOffset at)
    {
        var encounter = WriteEncounter("AMB", "ambulatory", FollowUp, at, at.AddMinutes(15), [AtrialFibrillation]);
        WriteLab(Inr, Math.Clamp(2.5 + rng.Noise(0.5), 1.3, 4.5), at.AddMinutes(5), encounter);
    }

    private void WriteColonoscopy(DateTimeOffset at)
    {
        var encounter = WriteEncounter("AMB", "ambulatory", Colonoscopy, at, at.AddHours(3), []);
        var polyps = rng.Chance(0.4);
        var finding = polyps
            ? "Two sessile polyps of 4 and 6 mm in the sigmoid colon, removed by cold snare. Otherwise normal to the caecum."
            : "Normal colonoscopy to the caecum. Good bowel preparation. No polyps.";
        WriteProcedure(Colonoscopy, at.AddMinutes(30), at.AddMinutes(65), encounter, finding);
    }

    private void WriteHeartFailureAdmission(DateTimeOffset at, bool fatal)
    {
        var days = fatal ? 6 : rng.Next(3, 8);
        var discharge = fatal ? plan.DeathDate!.Value : at.AddDays(days).AddHours(-3);
        var encounter = WriteEncounter("IMP", "inpatient encounter", HospitalAdmission, at, discharge, [HeartFailure, Dyspnea], fatal ? "exp" : "home");
        var weight = WeightAt(at) + rng.Between(3, 6);
        WriteBloodPressure((rng.Between(138, 165), rng.Between(82, 98)), at, encounter);
        WriteVital(HeartRate, plan.AtrialFibrillation ? rng.Between(110, 135) : rng.Between(92, 110), at, encounter);
        WriteVital(RespiratoryRate, rng.Between(22, 28), at, encounter);
        WriteVital(OxygenSaturation, rng.Between(86, 92), at, encounter);
        WriteVital(Temperature, 36.7 + rng.Noise(0.2), at, encounter);
        WriteVital(Weight, weight, at, encounter);
        var labsAt = at.AddMinutes(50);
        var peptide = WriteNatriureticPeptide(labsAt, encounter, rng.Between(1200, 2900));
        WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true) * 0.85, 1.0);
        WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt), rng.Between(6, 10), rng.Between(180, 300));
        WriteImaging(ChestXRay, at.AddHours(2), encounter, "Cardiomegaly with upper lobe venous diversion, bilateral interstitial oedema and small bilateral pleural effusions.");
        var echo = lastLvef is null || rng.Chance(0.5);
        if (echo) WriteEcho(at.AddDays(1), encounter, (lastLvef ?? plan.Lvef) - rng.Between(0, 4));
        var hf = conditions.First(c => c.Code == HeartFailure);
        var iv = StartMedication(FurosemideInjection, "80 mg intravenously twice daily", at.AddHours(1), hf.Id, encounter);
        StopMedication(iv, at.AddDays(Math.Max(1, days - 2)), "completed", "Switched back to oral furosemide");
        var text = fatal
            ? HeartFailureDeathNote(at, discharge, peptide, weight)
            : HeartFailureDischargeNote(at, discharge, peptide, weight, weight - rng.Between(3.5, 6.0), echo);
        WriteNote(NoteKind.Discharge, discharge, at, discharge, encounter, text);
    }

    private void WriteCopdAdmission(DateTimeOffset at)
    {
        var days = rng.Next(3, 6);
        var discharge = at.AddDays(days).AddHours(-2);
        var encounter = WriteEncounter("IMP", "inpatient encounter", HospitalAdmission, at, discharge, [CopdExacerbation, Dyspnea, Cough], "home");
        var spo2 = rng.Between(84, 90);
        var temp = 37.4 + rng.Noise(0.3);
        var hr = rng.Between(98, 118);
        WriteBloodPressure((rng.Between(130, 150), rng.Between(78, 92)), at, encounter);
        WriteVital(HeartRate, hr, at, encounter);
        WriteVital(RespiratoryRate, rng.Between(24, 30), at, encounter);
        WriteVital(OxygenSaturation, spo2, at, encounter);
        WriteVital(Temperature, temp, at, encounter);
        var labsAt = at.AddMinutes(45);
        var wbc = rng.Between(10.5, 14.5);
        WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt) + 0.6, wbc, rng.Between(200, 360));
        var crp = WriteLab(Crp, rng.Between(25, 80), labsAt, encounter).Value;
        WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true), 1.0);
        WriteImaging(ChestXRay, at.AddHours(1), encounter, "Hyperinflated lungs with flattened hemidiaphragms. No focal consolidation, effusion or pneumothorax.");
        var exacerbation = AddCondition(CopdExacerbation, at, "encounter-diagnosis", encounter);
        exacerbation.Abatement = discharge;
        exacerbation.Status = "resolved";
        var steroid = StartMedication(Prednisone, "40 mg orally once daily for 5 days", at.AddHours(1), exacerbation.Id, encounter);
        StopMedication(steroid, at.AddDays(5), "completed", "Five-day course completed");
        var penicillinAllergic = allergies.Any(a => a.Code == PenicillinAllergy);
        var antibiotic = StartMedication(Doxycycline, "100 mg orally twice daily for 5 days", at.AddHours(1), exacerbation.Id, encounter);
        StopMedication(antibiotic, at.AddDays(5), "completed", "Five-day course completed");
        WriteNote(NoteKind.Discharge, discharge, at, discharge, encounter, CopdDischargeNote(at, discharge, spo2, temp, hr, wbc, crp, penicillinAllergic));
    }

    // ---------------------------------------------------------------- state

    private ConditionEntry AddCondition(Coding code, DateTimeOffset onset, string category = "problem-list-item", string? encounter = null)
    {
        var entry = new ConditionEntry(rng.NextUuid(), code, onset, category, encounter);
        conditions.Add(entry);
        return entry;
    }

    private MedicationEntry StartMedication(Coding code, string dose, DateTimeOffset start, string? reason, string? encounter = null)
    {
        var entry = new MedicationEntry(rng.NextUuid(), code, dose, start, reason, encounter);
        medications.Add(entry);
        return entry;
    }

    private static void StopMedication(MedicationEntry entry, DateTimeOffset end, string status, string reason)
    {
        entry.End = end;
        entry.Status = status;
        entry.StatusReason = reason;
    }

    private MedicationEntry? Active(Coding code) => medications.LastOrDefault(m => m.Code == code && m.Status == "active");

    private bool HasActive(Coding code) => Active(code) is not null;

    private bool Started(Coding code) => medications.Any(m => m.Code == code);

    private Coding[] PrimaryReasons() =>
        [.. conditions.Where(c => c.Category == "problem-list-item" && c.Abatement is null).Take(2).Select(c => c.Code)];

    private int AgeAt(DateTimeOffset at)
    {
        var age = at.Year - plan.BirthDate.Year;
        return plan.BirthDate.AddYears(age) > at ? age - 1 : age;
    }

    private double YearsIn(DateTimeOffset at) => (at - plan.HistoryStart).TotalDays / 365.25;

    private double EgfrAt(DateTimeOffset at, bool noise) =>
        Math.Max(6, plan.EgfrStart - (plan.EgfrSlope * YearsIn(at)) + (noise ? rng.Noise(1.8) : 0));

    private double HbA1cAt(DateTimeOffset at) =>
        plan.HbA1cStart + (plan.HbA1cSlope * YearsIn(at)) - insulinEffect + rng.Noise(0.15);

    private double GlucoseAt(DateTimeOffset at) =>
        plan.Diabetes ? (28.7 * (plan.HbA1cStart + (plan.HbA1cSlope * YearsIn(at)) - insulinEffect)) - 46.7 + rng.Noise(18) : 92 + rng.Noise(8);

    private double HemoglobinAt(DateTimeOffset at)
    {
        var egfr = egfrSeries.Count > 0 ? egfrSeries[^1].Value : EgfrAt(at, noise: false);
        return (plan.Female ? 13.3 : 14.6) - (egfr < 45 ? (45 - egfr) * 0.06 : 0) + rng.Noise(0.45);
    }

    private double WeightAt(DateTimeOffset at) => plan.WeightKg + (0.25 * YearsIn(at)) + rng.Noise(1.0);

    private double HeartRateAt() =>
        (plan.AtrialFibrillation ? 84 : 72) + rng.Noise(plan.AtrialFibrillation ? 10 : 6);

    private (double Systolic, double Diastolic) BloodPressureAt(DateTimeOffset at)
    {
        var agents = new[] { Amlodipine, Lisinopril, Carvedilol, Hydrochlorothiazide }.Count(c => medications.Any(m => m.Code == c && m.Start <= at && (m.End is null || m.End > at)));
        var systolic = plan.HeartFailure ? 118 + rng.Noise(9)
            : plan.Hypertension ? (agents == 0 ? 156 : agents == 1 ? 138 : 131) + rng.Noise(8)
            : 122 + rng.Noise(7);
        return (systolic, (0.55 * systolic) + 8 + rng.Noise(4));
    }

    private static int StageOf(double egfr) => egfr >= 60 ? 2 : egfr >= 30 ? 3 : egfr >= 15 ? 4 : 5;

    private static Coding CkdCode(int stage) => stage switch
    {
        <= 2 => CkdStage2,
        3 => CkdStage3,
        4 => CkdStage4,
        _ => CkdStage5,
    };

    /// <summary>CKD-EPI 2021 (race-free) eGFR from serum creatinine.</summary>
    private double CkdEpiEgfr(double creatinine, int age)
    {
        var (kappa, alpha, sex) = plan.Female ? (0.7, -0.241, 1.012) : (0.9, -0.302, 1.0);
        var ratio = creatinine / kappa;
        return 142 * Math.Pow(Math.Min(ratio, 1), alpha) * Math.Pow(Math.Max(ratio, 1), -1.2) * Math.Pow(0.9938, age) * sex;
    }

    /// <summary>The 4-variable MDRD eGFR, reported by labs before CKD-EPI replaced it.</summary>
    private double MdrdEgfr(double creatinine, int age) =>
        175 * Math.Pow(creatinine, -1.154) * Math.Pow(age, -0.203) * (plan.Female ? 0.742 : 1.0);

    /// <summary>The creatinine that CKD-EPI 2021 maps to the given eGFR (the trajectory is modelled in eGFR).</summary>
    private double CreatinineFor(double egfr, int age)
    {
        var (kappa, alpha, sex) = plan.Female ? (0.7, -0.241, 1.012) : (0.9, -0.302, 1.0);
        var ratio = egfr / (142 * Math.Pow(0.9938, age) * sex);
        var scaled = ratio <= 1 ? Math.Pow(ratio, -1 / 1.2) : Math.Pow(ratio, 1 / alpha);
        return Math.Max(0.3, scaled * kappa);
    }

    private static double Round(double value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    private sealed class ConditionEntry(string id, Coding code, DateTimeOffset onset, string category, string? encounter)
    {
        public string Id { get; } = id;
        public Coding Code { get; } = code;
        public DateTimeOffset Onset { get; } = onset;
        public string Category { get; } = category;
        public string? Encounter { get; } = encounter;
        public DateTimeOffset? Abatement { get; set; }
        public string Status { get; set; } = "active";
    }

    private sealed class MedicationEntry(string id, Coding code, string dose, DateTimeOffset start, string? reason, string? encounter)
    {
        public string Id { get; } = id;
        public Coding Code { get; } = code;
        public string Dose { get; } = dose;
        public DateTimeOffset Start { get; } = start;
        public string? Reason { get; } = reason;
        public string? Encounter { get; } = encounter;
        public DateTimeOffset? End { get; set; }
        public string Status { get; set; } = "active";
        public string? StatusReason { get; set; }
    }

    private sealed record CarePlanEntry(Coding Category, DateTimeOffset Start, string Addresses, string[] Activities);

    private sealed record AllergyEntry(Coding Code, string? Category, string? Criticality, Coding? Reaction, string? Severity, DateTimeOffset Recorded);
}
