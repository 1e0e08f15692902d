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

    public PatientGenerator(PatientPlan plan, SyntheticRandom rng, FhirBundleWriter fhir, PatientIdentity? identity, int? observationTarget)
    {
        this.plan = plan;
        this.rng = rng;
        this.fhir = fhir;
        this.identity = identity;
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
        var encounter = WriteEncounter("AMB", "ambulatory", number == 0 ? CheckUp : FollowUp, at, at.AddMinutes(30), PrimaryReasons());
        var changes = new List<string>();
        var labsAt = at.AddMinutes(40);
        var yearly = VisitInterval > 300 || number % 2 == 0;
        WriteRoutineVitals(at.AddMinutes(5), encounter, withBmi: yearly);
        if (plan.Ckd || yearly) WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true), 1.0);
        if (yearly) WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt), rng.Between(5.5, 9.0), rng.Between(190, 320));
        if (plan.Diabetes) WriteLab(HbA1c, HbA1cAt(labsAt), labsAt, encounter);
        if (plan.HeartFailure && yearly) WriteNatriureticPeptide(labsAt, encounter, plan.BnpBaseline * (1 + rng.Noise(0.15)));
        if (plan.Warfarin) WriteLab(Inr, Math.Clamp(2.5 + rng.Noise(0.45), 1.4, 4.2), labsAt, encounter);
        if (number == 0 && plan.HeartFailure) WriteEcho(at.AddMinutes(60), encounter, plan.Lvef + rng.Noise(2));
        if (number > 0 && number % 5 == 0 && plan.HeartFailure) WriteEcho(at.AddMinutes(60), encounter, plan.Lvef + rng.Noise(3));
        if (number == 0 && plan.AtrialFibrillation) WriteEcg(at.AddMinutes(15), encounter, "Atrial fibrillation with a ventricular rate of 92/min. No acute ST changes.");
        if (plan.Copd && number % 6 == 0) WriteSpirometry(at.AddMinutes(20), encounter);

        AdjustTreatment(at, changes);
        if (number == 0 || changes.Count > 0 || number % 4 == 0)
            WriteNote(number == 0 ? NoteKind.HistoryAndPhysical : NoteKind.Progress, at.AddMinutes(30), at, at.AddMinutes(30), encounter, VisitNote(at, number, changes));
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

    // ---------------------------------------------------------------- observations

    private void WriteRoutineVitals(DateTimeOffset at, string? encounter, bool withBmi)
    {
        var bloodPressure = BloodPressureAt(at);
        lastSystolic = Round(bloodPressure.Systolic, 0);
        WriteBloodPressure(bloodPressure, at, encounter);
        var weight = WeightAt(at);
        var heartRate = HeartRateAt();
        lastVitals = (bloodPressure.Systolic, bloodPressure.Diastolic, heartRate, weight);
        WriteVital(HeartRate, heartRate, at, encounter);
        WriteVital(Weight, weight, at, encounter);
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
        var mdrd = at.Year < 2012;
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

    // ---------------------------------------------------------------- other resources

    private string WriteEncounter(string classCode, string classDisplay, Coding type, DateTimeOffset start, DateTimeOffset? end, Coding[] reasons, string? disposition = null)
    {
        var json = fhir.Json;
        var id = rng.NextUuid();
        fhir.BeginResource("Encounter", id);
        json.WriteString("status", end is null ? "in-progress" : "finished");
        json.WritePropertyName("class");
        json.WriteStartObject();
        json.WriteString("system", ActCodeSystem);
        json.WriteString("code", classCode);
        json.WriteString("display", classDisplay);
        json.WriteEndObject();
        fhir.CodeableConceptArray("type", type);
        fhir.Reference("subject", patientId);
        fhir.Period("period", start, end);
        if (reasons.Length > 0) fhir.CodeableConceptArray("reasonCode", reasons);
        if (disposition is not null)
        {
            json.WriteStartObject("hospitalization");
            fhir.SystemConcept("dischargeDisposition", "http://terminology.hl7.org/CodeSystem/discharge-disposition", disposition,
                disposition == "exp" ? "Expired" : "Home");
            json.WriteEndObject();
        }
        fhir.EndResource();
        return id;
    }

    private void WriteProcedure(Coding code, DateTimeOffset start, DateTimeOffset end, string encounter, string? note)
    {
        var json = fhir.Json;
        fhir.BeginResource("Procedure", rng.NextUuid());
        json.WriteString("status", "completed");
        fhir.CodeableConcept("code", code);
        fhir.Reference("subject", patientId);
        fhir.Reference("encounter", encounter);
        fhir.Period("performedPeriod", start, end);
        if (note is not null)
        {
            json.WriteStartArray("note");
            json.WriteStartObject();
            json.WriteString("text", note);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        fhir.EndResource();
    }

    private void WriteImaging(Coding code, DateTimeOffset at, string encounter, string conclusion)
    {
        WriteProcedure(code, at, at.AddMinutes(15), encounter, null);
        WriteReport(code, "RAD", "Radiology", at.AddMinutes(15), encounter, [], conclusion);
    }

    private void WriteReport(Coding code, string category, string categoryDisplay, DateTimeOffset at, string? encounter, IReadOnlyList<string> results, string? conclusion)
    {
        var json = fhir.Json;
        fhir.BeginResource("DiagnosticReport", rng.NextUuid());
        json.WriteString("status", "final");
        fhir.SystemCategory("category", ReportCategorySystem, category, categoryDisplay);
        fhir.CodeableConcept("code", code);
        fhir.Reference("subject", patientId);
        if (encounter is not null) fhir.Reference("encounter", encounter);
        fhir.DateTime("effectiveDateTime", at);
        fhir.DateTime("issued", at.AddMinutes(60));
        if (results.Count > 0) fhir.ReferenceArray("result", results);
        if (conclusion is not null) json.WriteString("conclusion", conclusion);
        fhir.EndResource();
    }

    private void WriteImmunization(Coding vaccine, DateTimeOffset at)
    {
        var json = fhir.Json;
        fhir.BeginResource("Immunization", rng.NextUuid());
        json.WriteString("status", "completed");
        fhir.CodeableConcept("vaccineCode", vaccine);
        fhir.Reference("patient", patientId);
        fhir.DateTime("occurrenceDateTime", at);
        json.WriteBoolean("primarySource", true);
        fhir.EndResource();
    }

    private enum NoteKind { HistoryAndPhysical, Progress, Discharge, Emergency }

    private void WriteNote(NoteKind kind, DateTimeOffset at, DateTimeOffset periodStart, DateTimeOffset? periodEnd, string encounter, string text)
    {
        var (code, display) = kind switch
        {
            NoteKind.HistoryAndPhysical => ("34117-2", "History and physical note"),
            NoteKind.Discharge => ("18842-5", "Discharge summary"),
            NoteKind.Emergency => ("34111-5", "Emergency department Note"),
            _ => ("11506-3", "Progress note"),
        };
        var json = fhir.Json;
        fhir.BeginResource("DocumentReference", rng.NextUuid());
        json.WriteString("status", "current");
        json.WriteString("docStatus", "final");
        fhir.CodeableConcept("type", new Coding(Coding.Loinc, code, display));
        fhir.SystemCategory("category", "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", "clinical-note", "Clinical Note");
        fhir.Reference("subject", patientId);
        fhir.DateTime("date", at);
        json.WriteStartArray("content");
        json.WriteStartObject();
        fhir.TextAttachment(display, text, at);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("context");
        fhir.ReferenceArray("encounter", [encounter]);
        fhir.Period("period", periodStart, periodEnd);
        json.WriteEndObject();
        fhir.EndResource();
    }

    /// <summary>Conditions, medication requests, allergies and care plans, written once their final state is known.</summary>
    private void WriteDeferred()
    {
        var json = fhir.Json;
        foreach (var condition in conditions)
        {
            fhir.BeginResource("Condition", condition.Id);
            fhir.SystemConcept("clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical", condition.Status);
            fhir.SystemConcept("verificationStatus", "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed");
            fhir.SystemCategory("category", "http://terminology.hl7.org/CodeSystem/condition-category", condition.Category,
                condition.Category == "problem-list-item" ? "Problem List Item" : "Encounter Diagnosis");
            fhir.CodeableConcept("code", condition.Code);
            fhir.Reference("subject", patientId);
            if (condition.Encounter is not null) fhir.Reference("encounter", condition.Encounter);
            fhir.DateTime("onsetDateTime", condition.Onset);
            if (condition.Abatement is { } abated) fhir.DateTime("abatementDateTime", abated);
            fhir.DateTime("recordedDate", condition.Onset < plan.HistoryStart ? plan.HistoryStart : condition.Onset);
            fhir.EndResource();
        }
        foreach (var medication in medications)
        {
            fhir.BeginResource("MedicationRequest", medication.Id);
            json.WriteString("status", medication.Status);
            if (medication.StatusReason is not null)
            {
                json.WriteStartObject("statusReason");
                json.WriteString("text", medication.StatusReason);
                json.WriteEndObject();
            }
            json.WriteString("intent", "order");
            fhir.CodeableConcept("medicationCodeableConcept", medication.Code);
            fhir.Reference("subject", patientId);
            if (medication.Encounter is not null) fhir.Reference("encounter", medication.Encounter);
            fhir.DateTime("authoredOn", medication.Start);
            if (medication.Reason is not null) fhir.ReferenceArray("reasonReference", [medication.Reason]);
            json.WriteStartArray("dosageInstruction");
            json.WriteStartObject();
            json.WriteString("text", medication.Dose);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("dispenseRequest");
            fhir.Period("validityPeriod", medication.Start, medication.End);
            json.WriteEndObject();
            fhir.EndResource();
        }
        foreach (var allergy in allergies) WriteAllergy(allergy);
        if (allergies.Count == 0) WriteAllergy(new(new Coding(Coding.Snomed, "716186003", "No known allergy"), null, null, null, null, plan.HistoryStart));
        foreach (var carePlan in carePlans)
        {
            fhir.BeginResource("CarePlan", rng.NextUuid());
            json.WriteString("status", plan.Deceased ? "completed" : "active");
            json.WriteString("intent", "plan");
            fhir.CodeableConceptArray("category", carePlan.Category);
            json.WriteString("title", carePlan.Category.Display);
            fhir.Reference("subject", patientId);
            fhir.Period("period", carePlan.Start, plan.DeathDate);
            fhir.ReferenceArray("addresses", [carePlan.Addresses]);
            json.WriteStartArray("activity");
            foreach (var activity in carePlan.Activities)
            {
                json.WriteStartObject();
                json.WriteStartObject("detail");
                json.WriteString("status", plan.Deceased ? "stopped" : "in-progress");
                json.WriteString("description", activity);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            fhir.EndResource();
        }
    }

    private void WriteAllergy(AllergyEntry allergy)
    {
        var json = fhir.Json;
        fhir.BeginResource("AllergyIntolerance", rng.NextUuid());
        fhir.SystemConcept("clinicalStatus", "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active");
        fhir.SystemConcept("verificationStatus", "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed");
        if (allergy.Category is not null)
        {
            json.WriteString("type", "allergy");
            json.WriteStartArray("category");
            json.WriteStringValue(allergy.Category);
            json.WriteEndArray();
            json.WriteString("criticality", allergy.Criticality);
        }
        fhir.CodeableConcept("code", allergy.Code);
        fhir.Reference("patient", patientId);
        fhir.DateTime("recordedDate", allergy.Recorded);
        if (allergy.Reaction is not null)
        {
            json.WriteStartArray("reaction");
            json.WriteStartObject();
            fhir.CodeableConceptArray("manifestation", allergy.Reaction);
            json.WriteString("severity", allergy.Severity);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        fhir.EndResource();
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
