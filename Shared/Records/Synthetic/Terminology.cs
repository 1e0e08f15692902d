namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// A laboratory or vital-sign test: its LOINC code, UCUM unit and (for labs) reference and critical
/// limits, from which the interpretation flag (N/H/L/HH/LL) is derived.
/// </summary>
internal sealed record LabTest(
    string Loinc, string Display, string Unit, int Decimals,
    double? Low = null, double? High = null,
    double? CriticalLow = null, double? CriticalHigh = null,
    string Category = "laboratory", double? FemaleLow = null, double? FemaleHigh = null)
{
    public Coding Code => new(Coding.Loinc, Loinc, Display);

    public bool HasRange => Low is not null || High is not null;

    public (double? Low, double? High) RangeFor(bool female) =>
        female ? (FemaleLow ?? Low, FemaleHigh ?? High) : (Low, High);

    public string? Interpret(double value, bool female)
    {
        if (!HasRange) return null;
        var (low, high) = RangeFor(female);
        if (CriticalHigh is { } ch && value >= ch) return "HH";
        if (CriticalLow is { } cl && value <= cl) return "LL";
        if (high is { } h && value > h) return "H";
        if (low is { } l && value < l) return "L";
        return "N";
    }
}

/// <summary>The codes the generator uses: LOINC, SNOMED CT, RxNorm, CVX; all real codes.</summary>
internal static class Terminology
{
    public const string Cvx = "http://hl7.org/fhir/sid/cvx";

    // Laboratory (LOINC, UCUM)
    public static readonly LabTest HbA1c = new("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 1, 4.0, 5.6);
    public static readonly LabTest EgfrCkdEpi = new("62238-1", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)", "mL/min/{1.73_m2}", 0, 60, null, 15);
    public static readonly LabTest EgfrMdrd = new("33914-3", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)", "mL/min/{1.73_m2}", 0, 60, null, 15);
    public static readonly LabTest Creatinine = new("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 2, 0.74, 1.35, FemaleLow: 0.59, FemaleHigh: 1.04);
    public static readonly LabTest Urea = new("3094-0", "Urea nitrogen [Mass/volume] in Serum or Plasma", "mg/dL", 0, 7, 20);
    public static readonly LabTest Potassium = new("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 1, 3.5, 5.1, 2.8, 6.2);
    public static readonly LabTest Sodium = new("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 0, 135, 145, 120, 160);
    public static readonly LabTest Glucose = new("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 0, 70, 99, 40, 500);
    public static readonly LabTest Bnp = new("30934-4", "Natriuretic peptide B [Mass/volume] in Serum or Plasma", "pg/mL", 0, null, 100);
    public static readonly LabTest NtProBnp = new("33762-6", "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma", "pg/mL", 0, null, 450);
    public static readonly LabTest TroponinI = new("10839-9", "Troponin I.cardiac [Mass/volume] in Serum or Plasma", "ng/mL", 2, null, 0.04, null, 1.0);
    public static readonly LabTest HsTroponinI = new("89579-7", "Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method", "ng/L", 0, null, 34, null, 1000, FemaleHigh: 16);
    public static readonly LabTest Lactate = new("2524-7", "Lactate [Moles/volume] in Serum or Plasma", "mmol/L", 1, 0.5, 2.2, null, 4.0);
    public static readonly LabTest Leukocytes = new("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", 1, 4.5, 11.0, 1.0, 30.0);
    public static readonly LabTest Hemoglobin = new("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 1, 13.5, 17.5, 7.0, 20.0, FemaleLow: 12.0, FemaleHigh: 15.5);
    public static readonly LabTest Platelets = new("777-3", "Platelets [#/volume] in Blood by Automated count", "10*3/uL", 0, 150, 400, 50, 1000);
    public static readonly LabTest Inr = new("6301-6", "INR in Platelet poor plasma by Coagulation assay", "{INR}", 1, 0.8, 1.2, null, 5.0);
    public static readonly LabTest DDimer = new("48065-7", "Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma", "ng/mL{FEU}", 0, null, 500);
    public static readonly LabTest Crp = new("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/L", 1, null, 5.0);
    public static readonly LabTest Procalcitonin = new("33959-8", "Procalcitonin [Mass/volume] in Serum or Plasma", "ng/mL", 2, null, 0.5);
    public static readonly LabTest Lvef = new("10230-1", "Left ventricular Ejection fraction", "%", 0, 52, 72, Category: "imaging");
    public static readonly LabTest Fev1Fvc = new("19926-5", "FEV1/FVC", "%", 0, 70, null, Category: "procedure");

    // Vital signs (LOINC, UCUM)
    public static readonly Coding BloodPressurePanel = new(Coding.Loinc, "85354-9", "Blood pressure panel with all children optional");
    public static readonly LabTest Systolic = new("8480-6", "Systolic blood pressure", "mm[Hg]", 0, Category: "vital-signs");
    public static readonly LabTest Diastolic = new("8462-4", "Diastolic blood pressure", "mm[Hg]", 0, Category: "vital-signs");
    public static readonly LabTest HeartRate = new("8867-4", "Heart rate", "/min", 0, Category: "vital-signs");
    public static readonly LabTest RespiratoryRate = new("9279-1", "Respiratory rate", "/min", 0, Category: "vital-signs");
    public static readonly LabTest Temperature = new("8310-5", "Body temperature", "Cel", 1, Category: "vital-signs");
    public static readonly LabTest OxygenSaturation = new("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", 0, Category: "vital-signs");
    public static readonly LabTest Weight = new("29463-7", "Body weight", "kg", 1, Category: "vital-signs");
    public static readonly LabTest Height = new("8302-2", "Body height", "cm", 0, Category: "vital-signs");
    public static readonly LabTest Bmi = new("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", 1, Category: "vital-signs");
    public static readonly Coding EcgImpression = new(Coding.Loinc, "8601-7", "EKG impression");

    // Panels (LOINC) grouped by DiagnosticReport
    public static readonly Coding BasicMetabolicPanel = new(Coding.Loinc, "51990-0", "Basic metabolic panel - Blood");
    public static readonly Coding BloodCountPanel = new(Coding.Loinc, "58410-2", "CBC panel - Blood by Automated count");

    // Conditions (SNOMED CT)
    public static readonly Coding Type2Diabetes = Sct("44054006", "Diabetes mellitus type 2");
    public static readonly Coding DiabeticKidneyDisease = Sct("127013003", "Disorder of kidney due to diabetes mellitus");
    public static readonly Coding CkdStage2 = Sct("431856006", "Chronic kidney disease stage 2");
    public static readonly Coding CkdStage3 = Sct("433144002", "Chronic kidney disease stage 3");
    public static readonly Coding CkdStage4 = Sct("431857002", "Chronic kidney disease stage 4");
    public static readonly Coding CkdStage5 = Sct("433146000", "Chronic kidney disease stage 5");
    public static readonly Coding HeartFailure = Sct("88805009", "Chronic congestive heart failure");
    public static readonly Coding Copd = Sct("13645005", "Chronic obstructive lung disease");
    public static readonly Coding CopdExacerbation = Sct("195951007", "Acute exacerbation of chronic obstructive airways disease");
    public static readonly Coding Hypertension = Sct("59621000", "Essential hypertension");
    public static readonly Coding AtrialFibrillation = Sct("49436004", "Atrial fibrillation");
    public static readonly Coding Hyperlipidemia = Sct("55822004", "Hyperlipidemia");
    public static readonly Coding Obesity = Sct("162864005", "Body mass index 30+ - obesity");
    public static readonly Coding CoronaryHeartDisease = Sct("53741008", "Coronary arteriosclerosis");
    public static readonly Coding DeepVeinThrombosis = Sct("128053003", "Deep venous thrombosis");
    public static readonly Coding OsteoarthritisKnee = Sct("239873007", "Osteoarthritis of knee");
    public static readonly Coding Anemia = Sct("271737000", "Anemia");

    // Acute working diagnoses (SNOMED CT)
    public static readonly Coding Nstemi = Sct("401314000", "Acute non-ST segment elevation myocardial infarction");
    public static readonly Coding CommunityAcquiredPneumonia = Sct("385093006", "Community acquired pneumonia");
    public static readonly Coding Sepsis = Sct("91302008", "Sepsis");
    public static readonly Coding PulmonaryEmbolism = Sct("59282003", "Pulmonary embolism");
    public static readonly Coding AcuteKidneyInjury = Sct("14669001", "Acute kidney injury");
    public static readonly Coding UpperGiBleed = Sct("37372002", "Upper gastrointestinal hemorrhage");

    // Presenting complaints (SNOMED CT findings)
    public static readonly Coding ChestPain = Sct("29857009", "Chest pain");
    public static readonly Coding Dyspnea = Sct("267036007", "Dyspnea");
    public static readonly Coding Fever = Sct("386661006", "Fever");
    public static readonly Coding Cough = Sct("49727002", "Cough");
    public static readonly Coding Melena = Sct("2901004", "Melena");
    public static readonly Coding Vomiting = Sct("422400008", "Vomiting");

    // Encounter types (SNOMED CT)
    public static readonly Coding CheckUp = Sct("185349003", "Encounter for check up");
    public static readonly Coding FollowUp = Sct("390906007", "Follow-up encounter");
    public static readonly Coding EmergencyAdmission = Sct("50849002", "Emergency room admission");
    public static readonly Coding HospitalAdmission = Sct("32485007", "Hospital admission");

    // Procedures (SNOMED CT)
    public static readonly Coding Echocardiography = Sct("433236007", "Transthoracic echocardiography");
    public static readonly Coding CtPulmonaryAngiography = Sct("16332841000119100", "Computed tomography angiography of pulmonary artery with contrast");
    public static readonly Coding ChestXRay = Sct("399208008", "Plain chest X-ray");
    public static readonly Coding Electrocardiogram = Sct("29303009", "Electrocardiographic procedure");
    public static readonly Coding UpperGiEndoscopy = Sct("76009000", "Esophagogastroduodenoscopy");
    public static readonly Coding Colonoscopy = Sct("73761001", "Colonoscopy");
    public static readonly Coding Spirometry = Sct("127783003", "Spirometry");

    // Care plans (SNOMED CT)
    public static readonly Coding DiabetesPlan = Sct("698360004", "Diabetes self management plan");
    public static readonly Coding HeartFailurePlan = Sct("735984001", "Heart failure self management plan");
    public static readonly Coding CopdPlan = Sct("412776001", "Chronic obstructive pulmonary disease clinical management plan");
    public static readonly Coding GenericPlan = Sct("734163000", "Care plan");

    // Allergies (SNOMED CT) and reactions
    public static readonly Coding PenicillinAllergy = Sct("91936005", "Allergy to penicillin");
    public static readonly Coding LatexAllergy = Sct("300916003", "Latex allergy");
    public static readonly Coding PeanutAllergy = Sct("91935009", "Allergy to peanuts");
    public static readonly Coding ShellfishAllergy = Sct("300913006", "Shellfish allergy");
    public static readonly Coding Urticaria = Sct("126485001", "Urticaria");
    public static readonly Coding Anaphylaxis = Sct("39579001", "Anaphylaxis");

    // Medications (RxNorm: clinical drugs where the strength matters, ingredients otherwise)
    public static readonly Coding Metformin = Rx("860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet");
    public static readonly Coding InsulinGlargine = Rx("274783", "insulin glargine");
    public static readonly Coding Empagliflozin = Rx("1545653", "empagliflozin");
    public static readonly Coding Lisinopril = Rx("29046", "lisinopril");
    public static readonly Coding Amlodipine = Rx("197361", "Amlodipine 5 MG Oral Tablet");
    public static readonly Coding Hydrochlorothiazide = Rx("5487", "hydrochlorothiazide");
    public static readonly Coding Furosemide = Rx("4603", "furosemide");
    public static readonly Coding FurosemideInjection = Rx("1719286", "10 ML Furosemide 10 MG/ML Injection");
    public static readonly Coding Spironolactone = Rx("9997", "spironolactone");
    public static readonly Coding Carvedilol = Rx("20352", "carvedilol");
    public static readonly Coding Metoprolol = Rx("6918", "metoprolol");
    public static readonly Coding Apixaban = Rx("1364430", "apixaban");
    public static readonly Coding Warfarin = Rx("855332", "Warfarin Sodium 5 MG Oral Tablet");
    public static readonly Coding Tiotropium = Rx("69120", "tiotropium");
    public static readonly Coding Salbutamol = Rx("745679", "200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler");
    public static readonly Coding Prednisone = Rx("8640", "prednisone");
    public static readonly Coding Atorvastatin = Rx("83367", "atorvastatin");
    public static readonly Coding Aspirin = Rx("243670", "Aspirin 81 MG Oral Tablet");
    public static readonly Coding Clopidogrel = Rx("309362", "Clopidogrel 75 MG Oral Tablet");
    public static readonly Coding Nitroglycerin = Rx("705129", "Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray");
    public static readonly Coding Heparin = Rx("5224", "heparin");
    public static readonly Coding Enoxaparin = Rx("67108", "enoxaparin");
    public static readonly Coding Ceftriaxone = Rx("309090", "Ceftriaxone 1000 MG Injection");
    public static readonly Coding Azithromycin = Rx("18631", "azithromycin");
    public static readonly Coding Doxycycline = Rx("3640", "doxycycline");
    public static readonly Coding PiperacillinTazobactam = Rx("1659149", "piperacillin 4000 MG / tazobactam 500 MG Injection");
    public static readonly Coding Vancomycin = Rx("1664986", "Vancomycin 1000 MG Injection");
    public static readonly Coding Pantoprazole = Rx("40790", "pantoprazole");
    public static readonly Coding Ibuprofen = Rx("310965", "Ibuprofen 200 MG Oral Tablet");
    public static readonly Coding SodiumChloride = Rx("9863", "sodium chloride");
    public static readonly Coding Norepinephrine = Rx("7512", "norepinephrine");

    // Vaccines (CVX)
    public static readonly Coding Influenza = new(Cvx, "140", "Influenza, seasonal, injectable, preservative free");
    public static readonly Coding Pneumococcal23 = new(Cvx, "33", "pneumococcal polysaccharide vaccine, 23 valent");
    public static readonly Coding Tdap = new(Cvx, "115", "Tdap");
    public static readonly Coding Zoster = new(Cvx, "187", "zoster vaccine recombinant");

    private static Coding Sct(string code, string display) => new(Coding.Snomed, code, display);

    private static Coding Rx(string code, string display) => new(Coding.RxNorm, code, display);
}
