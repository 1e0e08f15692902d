using static ClinicianPortal.Shared.Records.Synthetic.Terminology;

namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// The acute presentations: an emergency encounter still in progress at the reference date, with the
/// presenting complaint, the vital signs, the laboratory and imaging results that fit the working
/// diagnosis, the first orders and an emergency department note. The diagnosis itself is not coded
/// in the chart: the manifest records it, so case-review tests can check the reasoning against it.
/// </summary>
internal sealed partial class PatientGenerator
{
    private static readonly Coding Diarrhea = new(Coding.Snomed, "62315008", "Diarrhea");
    private static readonly Coding Dysuria = new(Coding.Snomed, "49650001", "Dysuria");

    public static Coding? WorkingDiagnosisOf(string scenario) => scenario switch
    {
        CohortScenario.AcuteCoronarySyndrome => Nstemi,
        CohortScenario.Pneumonia => CommunityAcquiredPneumonia,
        CohortScenario.Sepsis => Sepsis,
        CohortScenario.PulmonaryEmbolism => PulmonaryEmbolism,
        CohortScenario.AcuteKidneyInjury => AcuteKidneyInjury,
        CohortScenario.UpperGiBleed => UpperGiBleed,
        _ => null,
    };

    public IReadOnlyList<Coding> PresentingComplaints { get; private set; } = [];

    private void WriteAcutePresentation()
    {
        var at = plan.AcuteStart!.Value;
        switch (plan.Scenario)
        {
            case CohortScenario.AcuteCoronarySyndrome: WriteChestPain(at); break;
            case CohortScenario.Pneumonia: WritePneumonia(at); break;
            case CohortScenario.Sepsis: WriteSepsis(at); break;
            case CohortScenario.PulmonaryEmbolism: WritePulmonaryEmbolism(at); break;
            case CohortScenario.AcuteKidneyInjury: WriteAcuteKidneyInjury(at); break;
            case CohortScenario.UpperGiBleed: WriteUpperGiBleed(at); break;
            default: throw new InvalidOperationException("Not an acute scenario: " + plan.Scenario);
        }
    }

    private string OpenEmergency(DateTimeOffset at, params Coding[] complaints)
    {
        PresentingComplaints = complaints;
        return WriteEncounter("EMER", "emergency", EmergencyAdmission, at, null, complaints);
    }

    private ArrivalVitals WriteArrivalVitals(DateTimeOffset at, string encounter, double systolic, double diastolic, double heartRate, double respiratoryRate, double temperature, double saturation)
    {
        WriteBloodPressure((systolic, diastolic), at, encounter);
        WriteVital(HeartRate, heartRate, at, encounter);
        WriteVital(RespiratoryRate, respiratoryRate, at, encounter);
        WriteVital(Temperature, temperature, at, encounter);
        WriteVital(OxygenSaturation, saturation, at, encounter);
        return new(Round(systolic, 0), Round(diastolic, 0), Round(heartRate, 0), Round(respiratoryRate, 0), Round(temperature, 1), Round(saturation, 0));
    }

    private void WriteChestPain(DateTimeOffset at)
    {
        var encounter = OpenEmergency(at, ChestPain);
        var vitals = WriteArrivalVitals(at.AddMinutes(5), encounter, rng.Between(150, 172), rng.Between(88, 100), rng.Between(90, 108), rng.Between(18, 22), 36.8 + rng.Noise(0.2), rng.Between(95, 98));
        var ecg = "Sinus rhythm at 96/min. 1.5 mm horizontal ST depression in V4-V6, I and aVL. No ST elevation.";
        WriteEcg(at.AddMinutes(10), encounter, ecg);
        var highSensitivity = plan.Instance % 2 == 0;
        var test = highSensitivity ? HsTroponinI : TroponinI;
        var labsAt = at.AddMinutes(25);
        var first = WriteLab(test, highSensitivity ? rng.Between(45, 90) : rng.Between(0.06, 0.12), labsAt, encounter).Value;
        var panel = WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true), 1.0);
        WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt), rng.Between(8, 11), rng.Between(200, 310));
        var second = WriteLab(test, highSensitivity ? rng.Between(600, 1800) : rng.Between(1.4, 3.8), at.AddHours(3), encounter).Value;
        StartMedication(Aspirin, "324 mg chewed once, then 81 mg orally daily", at.AddMinutes(30), null, encounter);
        StartMedication(Heparin, "60 units/kg IV bolus then 12 units/kg/h infusion per ACS nomogram", at.AddHours(3.5), null, encounter);
        StartMedication(Nitroglycerin, "0.4 mg sublingual every 5 minutes as needed for chest pain, up to 3 doses", at.AddMinutes(30), null, encounter);
        var troponin = $"{(highSensitivity ? "hs-troponin I" : "Troponin I")} {Fmt(first)} {test.Unit} at arrival, {Fmt(second)} {test.Unit} at 3 hours (upper reference limit {Fmt(test.RangeFor(plan.Female).High ?? 0)})";
        WriteNote(NoteKind.Emergency, at.AddHours(3.5), at, null, encounter, EmergencyNote(at, vitals,
            complaint: "chest pain",
            hpi: $"{Subject()} presents with two hours of central chest pressure radiating to the left arm, which began at rest while watching television. The pain is 7/10, associated with diaphoresis and nausea, not pleuritic and not positional. {Pronoun()} reports two episodes of exertional chest tightness over the past week that settled with rest.",
            negatives: "Denies fever, cough or haemoptysis. No recent travel, surgery or immobilisation. No leg swelling. No tearing pain radiating to the back. No history of coronary artery disease, DVT or PE.",
            exam: "Diaphoretic and uncomfortable. Heart sounds regular, no murmur, rub or gallop. Lungs clear. Equal radial pulses and blood pressure in both arms. No calf tenderness or oedema.",
            data: $"ECG: {ecg} {troponin}. Creatinine {Fmt(panel.Creatinine)} mg/dL, potassium {Fmt(panel.Potassium)} mmol/L.",
            differential: ["acute coronary syndrome", "pulmonary embolism", "aortic dissection", "pericarditis", "oesophageal spasm"],
            plan: "Aspirin given. Serial ECGs and troponins. Anticoagulation started. Cardiology consulted for admission and coronary angiography."));
    }

    private void WritePneumonia(DateTimeOffset at)
    {
        var encounter = OpenEmergency(at, Fever, Cough, Dyspnea);
        var vitals = WriteArrivalVitals(at.AddMinutes(5), encounter, rng.Between(116, 134), rng.Between(68, 80), rng.Between(100, 118), rng.Between(22, 28), rng.Between(38.4, 39.2), rng.Between(88, 92));
        var labsAt = at.AddMinutes(30);
        var wbc = rng.Between(14, 19);
        WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt), wbc, rng.Between(280, 420));
        var crp = WriteLab(Crp, rng.Between(110, 260), labsAt, encounter).Value;
        var pct = WriteLab(Procalcitonin, rng.Between(0.6, 2.8), labsAt, encounter).Value;
        var lactate = WriteLab(Lactate, rng.Between(1.2, 1.9), labsAt, encounter).Value;
        var panel = WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true), 1.1, urea: rng.Between(24, 32));
        var cxr = "Dense airspace consolidation in the right lower lobe with air bronchograms. No pleural effusion. Heart size normal.";
        WriteImaging(ChestXRay, at.AddHours(1), encounter, cxr);
        StartMedication(Ceftriaxone, "1 g IV every 24 hours", at.AddHours(1.5), null, encounter);
        StartMedication(Azithromycin, "500 mg IV once daily", at.AddHours(1.5), null, encounter);
        var copd = plan.Copd ? " on a background of COPD" : "";
        WriteNote(NoteKind.Emergency, at.AddHours(2), at, null, encounter, EmergencyNote(at, vitals,
            complaint: "fever and productive cough",
            hpi: $"{Subject()}{copd} presents with four days of cough productive of rusty sputum, fevers with rigors and increasing breathlessness. Right-sided chest pain on deep inspiration since yesterday. {Pronoun()} has been eating poorly.",
            negatives: "Denies haemoptysis, leg swelling or recent travel. No recent hospital admission or antibiotics. No sick contacts known. No history of DVT.",
            exam: "Flushed and tachypnoeic, speaking in full sentences. Bronchial breathing and coarse crackles at the right base with dullness to percussion. Heart sounds normal. No peripheral oedema. Alert and oriented.",
            data: $"WBC {Fmt(wbc, 1)} x10^3/uL, CRP {Fmt(crp)} mg/L, procalcitonin {Fmt(pct)} ng/mL, lactate {Fmt(lactate)} mmol/L, creatinine {Fmt(panel.Creatinine)} mg/dL. Chest X-ray: {cxr}",
            differential: ["community-acquired pneumonia", "pulmonary embolism", "acute heart failure", plan.Copd ? "infective exacerbation of COPD" : "acute bronchitis", "lung cancer with post-obstructive infection"],
            plan: "Blood and sputum cultures sent. Antibiotics started. Oxygen to target saturation. Admit to medicine."));
    }

    private void WriteSepsis(DateTimeOffset at)
    {
        var urinary = plan.UrinarySource;
        var encounter = OpenEmergency(at, urinary ? [Fever, Dysuria] : [Fever, Cough, Dyspnea]);
        var vitals = WriteArrivalVitals(at.AddMinutes(5), encounter, rng.Between(78, 88), rng.Between(40, 50), rng.Between(118, 134), rng.Between(24, 30), rng.Between(38.9, 39.6), rng.Between(91, 95));
        var labsAt = at.AddMinutes(20);
        var lactate = WriteLab(Lactate, rng.Between(4.2, 6.0), labsAt, encounter).Value;
        var wbc = rng.Between(18, 26);
        WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt), wbc, rng.Between(95, 140));
        var crp = WriteLab(Crp, rng.Between(180, 300), labsAt, encounter).Value;
        var pct = WriteLab(Procalcitonin, rng.Between(6, 20), labsAt, encounter).Value;
        var baseline = creatinineSeries.Count > 0 ? creatinineSeries[^1].Value : (double?)null;
        var panel = WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: false), 1.8, potassium: rng.Between(4.6, 5.2), urea: rng.Between(34, 46));
        var repeat = WriteLab(Lactate, rng.Between(2.8, 3.6), at.AddHours(3), encounter).Value;
        string? cxr = null;
        if (!urinary)
        {
            cxr = "Left lower lobe consolidation with a small left pleural effusion.";
            WriteImaging(ChestXRay, at.AddMinutes(50), encounter, cxr);
        }
        var fluids = StartMedication(SodiumChloride, "0.9% 30 mL/kg IV bolus over 3 hours", at.AddMinutes(25), null, encounter);
        StopMedication(fluids, at.AddHours(3.5), "completed", "Bolus completed");
        StartMedication(PiperacillinTazobactam, "4.5 g IV every 6 hours", at.AddMinutes(40), null, encounter);
        StartMedication(Vancomycin, "25 mg/kg IV loading dose, then per pharmacy levels", at.AddMinutes(45), null, encounter);
        StartMedication(Norepinephrine, "0.05 mcg/kg/min IV infusion titrated to MAP 65 mmHg or above", at.AddHours(3.5), null, encounter);
        var source = urinary
            ? "three days of dysuria and frequency, then fevers, rigors and new confusion today. Family report reduced oral intake and very little urine output."
            : "five days of productive cough and breathlessness, then fevers, rigors and new confusion today.";
        WriteNote(NoteKind.Emergency, at.AddHours(3.5), at, null, encounter, EmergencyNote(at, vitals,
            complaint: urinary ? "fever and confusion" : "fever, cough and confusion",
            hpi: $"{Subject()} presents with {source}",
            negatives: urinary
                ? "Denies cough, chest pain or abdominal pain. No diarrhoea. No rash. No neck stiffness. No recent antibiotics."
                : "Denies dysuria, abdominal pain or diarrhoea. No rash. No neck stiffness. No recent antibiotics.",
            exam: urinary
                ? "Drowsy but rousable, disoriented to time. Warm peripheries, capillary refill 3 seconds. Suprapubic and right renal angle tenderness. Chest clear. No meningism."
                : "Drowsy but rousable, disoriented to time. Warm peripheries, capillary refill 3 seconds. Crackles and bronchial breathing at the left base. Abdomen soft. No meningism.",
            data: $"Lactate {Fmt(lactate)} mmol/L, repeat {Fmt(repeat)} mmol/L after fluids. WBC {Fmt(wbc, 1)} x10^3/uL, CRP {Fmt(crp)} mg/L, procalcitonin {Fmt(pct)} ng/mL. Creatinine {Fmt(panel.Creatinine)} mg/dL{(baseline is { } b ? $" (baseline {Fmt(b)})" : "")}."
                + (urinary ? " Urinalysis: positive leukocyte esterase and nitrites." : $" Chest X-ray: {cxr}"),
            differential: urinary
                ? ["sepsis from a urinary source", "acute pyelonephritis", "intra-abdominal infection", "meningitis"]
                : ["sepsis from a pulmonary source", "community-acquired pneumonia", "pulmonary embolism", "meningitis"],
            plan: "Blood cultures x2 and urine culture before antibiotics. Fluid resuscitation, broad-spectrum antibiotics. Persistent hypotension after fluids: vasopressor started, ICU review."));
    }

    private void WritePulmonaryEmbolism(DateTimeOffset at)
    {
        var encounter = OpenEmergency(at, Dyspnea, ChestPain);
        var vitals = WriteArrivalVitals(at.AddMinutes(5), encounter, rng.Between(118, 138), rng.Between(74, 86), rng.Between(108, 124), rng.Between(22, 28), rng.Between(37.2, 37.8), rng.Between(88, 93));
        var ecg = "Sinus tachycardia at 116/min. S1Q3T3 pattern. T-wave inversion in V1-V3.";
        WriteEcg(at.AddMinutes(10), encounter, ecg);
        var labsAt = at.AddMinutes(30);
        var dimer = WriteLab(DDimer, rng.Between(2400, 5600), labsAt, encounter).Value;
        var troponin = WriteLab(HsTroponinI, rng.Between(38, 80), labsAt, encounter).Value;
        var bnp = WriteLab(Bnp, rng.Between(150, 400), labsAt, encounter).Value;
        WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true), 1.0);
        WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt), rng.Between(8, 11.5), rng.Between(180, 300));
        var ct = "Acute filling defects in the right main and right lower lobe segmental pulmonary arteries extending into subsegmental branches. RV/LV ratio 1.1. No pulmonary infarct or effusion.";
        WriteImaging(CtPulmonaryAngiography, at.AddHours(2), encounter, ct);
        StartMedication(Enoxaparin, "1 mg/kg subcutaneously every 12 hours", at.AddHours(2.5), null, encounter);
        var risk = plan.HistoryOfDvt
            ? $"{Pronoun()} has a history of DVT of the left leg treated with six months of warfarin."
            : $"{Pronoun()} returned from a 14-hour flight five days ago.";
        WriteNote(NoteKind.Emergency, at.AddHours(3), at, null, encounter, EmergencyNote(at, vitals,
            complaint: "breathlessness and pleuritic chest pain",
            hpi: $"{Subject()} presents with sudden breathlessness since this morning and sharp right-sided chest pain worse on inspiration. {risk} Right calf has felt tight for three days.",
            negatives: "Denies fever, productive cough or haemoptysis. No orthopnoea. No syncope. No exertional chest pain before today.",
            exam: "Tachypnoeic, speaking in short sentences. Chest clear to auscultation. Heart sounds normal, JVP not raised. Right calf swollen and tender, 3 cm larger than the left.",
            data: $"ECG: {ecg} D-dimer {Fmt(dimer)} ng/mL FEU, hs-troponin I {Fmt(troponin)} ng/L, BNP {Fmt(bnp)} pg/mL. CT pulmonary angiogram: {ct}",
            differential: ["pulmonary embolism", "pneumonia", "acute coronary syndrome", "pneumothorax", "pericarditis"],
            plan: "Therapeutic anticoagulation started. Echocardiogram for right ventricular function. Admit to medicine with telemetry."));
    }

    private void WriteAcuteKidneyInjury(DateTimeOffset at)
    {
        var hypertension = conditions.FirstOrDefault(c => c.Code == Hypertension)?.Id;
        var since = plan.HistoryStart.AddDays(200);
        var ace = Active(Lisinopril) ?? StartMedication(Lisinopril, "20 mg orally once daily", since, hypertension);
        var thiazide = Active(Hydrochlorothiazide) ?? StartMedication(Hydrochlorothiazide, "25 mg orally once daily", since.AddDays(180), hypertension);
        var nsaid = Active(Ibuprofen) ?? StartMedication(Ibuprofen, "400 mg orally three times daily for knee pain", at.AddDays(-12), null);
        var baseline = creatinineSeries.Count > 0 ? creatinineSeries[^1].Value : (double?)null;

        var encounter = OpenEmergency(at, Vomiting, Diarrhea);
        var vitals = WriteArrivalVitals(at.AddMinutes(5), encounter, rng.Between(92, 104), rng.Between(52, 62), rng.Between(100, 112), rng.Between(16, 20), 37.3 + rng.Noise(0.2), rng.Between(96, 99));
        var labsAt = at.AddMinutes(40);
        var panel = WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: false), rng.Between(2.8, 3.4), potassium: rng.Between(5.8, 6.4), urea: rng.Between(55, 80), sodium: rng.Between(131, 134));
        WriteBloodCount(labsAt, encounter, HemoglobinAt(labsAt) + 0.8, rng.Between(9, 11.5), rng.Between(220, 340));
        StartMedication(SodiumChloride, "0.9% 1 L IV bolus, then 125 mL/h", at.AddHours(1), null, encounter);
        var holds = new List<MedicationEntry> { ace, thiazide };
        if (Active(Metformin) is { } metformin) holds.Add(metformin);
        foreach (var held in holds)
        {
            held.Status = "on-hold";
            held.StatusReason = "Held on admission: acute rise in creatinine";
        }
        StopMedication(nsaid, at.AddHours(1), "stopped", "Stopped: NSAID with acute kidney injury");
        WriteNote(NoteKind.Emergency, at.AddHours(2), at, null, encounter, EmergencyNote(at, vitals,
            complaint: "vomiting, diarrhoea and light-headedness",
            hpi: $"{Subject()} presents with four days of watery diarrhoea and vomiting, unable to keep fluids down for two days, and light-headed on standing. {Pronoun()} continued lisinopril and hydrochlorothiazide and has been taking ibuprofen 400 mg three times a day for knee pain. Passing very little urine since yesterday.",
            negatives: "Denies blood in the stool, abdominal pain or fever. No dysuria or flank pain. No new rash. No recent contrast or antibiotics.",
            exam: "Dry mucous membranes, reduced skin turgor. Postural drop of 20 mmHg systolic. Abdomen soft and non-tender, bladder not palpable. Chest clear. No oedema.",
            data: $"Creatinine {Fmt(panel.Creatinine)} mg/dL{(baseline is { } b ? $" (baseline {Fmt(b)} mg/dL)" : "")}, eGFR {Fmt(panel.Egfr)} mL/min/1.73m2, potassium {Fmt(panel.Potassium)} mmol/L. Bladder scan 40 mL after voiding.",
            differential: ["prerenal acute kidney injury from volume depletion", "drug-induced kidney injury (ACE inhibitor, diuretic, NSAID)", "acute tubular necrosis", "urinary tract obstruction"],
            plan: "IV fluids. Lisinopril, hydrochlorothiazide and ibuprofen held. Repeat potassium and creatinine in 6 hours, cardiac monitoring for hyperkalaemia, renal ultrasound."));
    }

    private void WriteUpperGiBleed(DateTimeOffset at)
    {
        var baseline = hemoglobinSeries.Count > 0 ? hemoglobinSeries[^1].Value : (double?)null;
        var encounter = OpenEmergency(at, Melena, Vomiting);
        var vitals = WriteArrivalVitals(at.AddMinutes(5), encounter, rng.Between(92, 104), rng.Between(52, 62), rng.Between(108, 122), rng.Between(18, 20), 36.6 + rng.Noise(0.2), rng.Between(97, 99));
        var labsAt = at.AddMinutes(30);
        var hb = rng.Between(7.4, 8.4);
        WriteBloodCount(labsAt, encounter, hb, rng.Between(10, 12.5), rng.Between(210, 320));
        var panel = WriteBasicPanel(labsAt, encounter, EgfrAt(labsAt, noise: true), 1.05, urea: rng.Between(48, 65));
        var inr = WriteLab(Inr, rng.Between(1.1, 1.3), labsAt, encounter).Value;
        var repeat = WriteLab(Hemoglobin, hb - rng.Between(0.5, 1.0), at.AddHours(4), encounter).Value;
        var egd = "Oozing 1.5 cm ulcer in the duodenal bulb with a non-bleeding visible vessel (Forrest IIa). Adrenaline injection and two haemostatic clips applied. No varices. Stomach with erosive gastropathy.";
        WriteProcedure(UpperGiEndoscopy, at.AddHours(5), at.AddHours(5.75), encounter, egd);
        StartMedication(Pantoprazole, "80 mg IV bolus, then 8 mg/h infusion for 72 hours", at.AddMinutes(45), null, encounter);
        var fluids = StartMedication(SodiumChloride, "0.9% 500 mL IV bolus", at.AddMinutes(20), null, encounter);
        StopMedication(fluids, at.AddHours(1), "completed", "Bolus completed");
        if (Active(Apixaban) is { } anticoagulant)
        {
            anticoagulant.Status = "on-hold";
            anticoagulant.StatusReason = "Held: active gastrointestinal bleeding";
        }
        var nsaid = Active(Ibuprofen);
        if (nsaid is not null) StopMedication(nsaid, at.AddMinutes(45), "stopped", "Stopped: gastrointestinal bleeding");
        var anticoagulated = medications.Any(m => m.Code == Apixaban && m.Status == "on-hold");
        string[] risks = [.. anticoagulated ? ["apixaban for atrial fibrillation"] : Array.Empty<string>(), .. nsaid is not null ? ["ibuprofen for knee osteoarthritis"] : Array.Empty<string>()];
        var drugs = string.Join(" and ", risks);
        var held = string.Join(" and ", risks.Select(r => r.Split(' ')[0]));
        WriteNote(NoteKind.Emergency, at.AddHours(6), at, null, encounter, EmergencyNote(at, vitals,
            complaint: "black stools and dizziness",
            hpi: $"{Subject()} presents with two days of black tarry stools and one episode of coffee-ground vomiting this morning, with dizziness on standing. {Pronoun()} takes {drugs}. Mild epigastric discomfort for two weeks.",
            negatives: "Denies fresh blood per rectum, chest pain or syncope. No history of liver disease or alcohol excess. No previous GI bleeding.",
            exam: "Pale, clammy. Epigastric tenderness without guarding. Melaena on rectal examination. No stigmata of chronic liver disease. Heart sounds normal, chest clear.",
            data: $"Haemoglobin {Fmt(hb, 1)} g/dL{(baseline is { } b ? $" (baseline {Fmt(b)} g/dL)" : "")}, repeat {Fmt(repeat)} g/dL at 4 hours. Urea {Fmt(panel.Urea)} mg/dL, creatinine {Fmt(panel.Creatinine)} mg/dL, INR {Fmt(inr)}. Endoscopy: {egd}",
            differential: ["peptic ulcer bleeding", "variceal haemorrhage", "Mallory-Weiss tear", "erosive gastritis", "upper GI malignancy"],
            plan: $"Two large-bore cannulae, crossmatch 2 units, restrictive transfusion threshold 7 g/dL. IV proton pump inhibitor. {char.ToUpperInvariant(held[0])}{held[1..]} held. Urgent endoscopy done; admit to gastroenterology."));
    }

    private sealed record ArrivalVitals(double Systolic, double Diastolic, double HeartRate, double RespiratoryRate, double Temperature, double Saturation);
}
