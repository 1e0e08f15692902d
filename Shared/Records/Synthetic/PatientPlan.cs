namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>Who one synthetic patient is and what their history will contain, drawn before anything is written.</summary>
internal sealed class PatientPlan
{
    public required int Index { get; init; }
    public required string Scenario { get; init; }
    public required bool Female { get; init; }
    public required int Age { get; init; }
    public required DateTimeOffset BirthDate { get; init; }
    public required DateTimeOffset HistoryStart { get; init; }
    /// <summary>The last moment of the record: the reference date, or the death.</summary>
    public required DateTimeOffset HistoryEnd { get; init; }
    public DateTimeOffset? DeathDate { get; init; }
    public DateTimeOffset? AcuteStart { get; init; }
    public required int HistoryYears { get; init; }

    public bool Diabetes { get; init; }
    public bool Ckd { get; init; }
    public bool CkdFastDecline { get; init; }
    public bool HeartFailure { get; init; }
    public bool Copd { get; init; }
    public bool Hypertension { get; init; }
    public bool AtrialFibrillation { get; init; }
    public bool Hyperlipidemia { get; init; }
    public bool Osteoarthritis { get; init; }
    public bool HistoryOfDvt { get; init; }
    public bool Warfarin { get; init; }
    public bool NtProBnp { get; init; }
    /// <summary>Sepsis source: urinary tract (true) or lung.</summary>
    public bool UrinarySource { get; init; }
    public required string Smoking { get; init; }

    public required double HeightCm { get; init; }
    public required double WeightKg { get; init; }
    public double HbA1cStart { get; init; }
    public double HbA1cSlope { get; init; }
    public required double EgfrStart { get; init; }
    public required double EgfrSlope { get; init; }
    public double Lvef { get; init; }
    public double BnpBaseline { get; init; }

    public bool Acute => AcuteStart is not null;
    public bool Deceased => DeathDate is not null;
    public int Instance => Index / CohortScenario.All.Count;

    public static PatientPlan Draw(int index, SyntheticRandom rng, DateTimeOffset reference)
    {
        var scenario = CohortScenario.All[index % CohortScenario.All.Count];
        var instance = index / CohortScenario.All.Count;
        var acute = CohortScenario.IsAcute(scenario);
        var female = rng.Chance(0.5);
        var even = instance % 2 == 0;

        var age = acute ? rng.Next(38, 88) : rng.Next(48, 89);
        if (index == 2) age = 91;                          // one patient over 89 (Safe Harbor's age cap matters)
        var deceased = index == 14;                        // one deceased patient (heart failure, second instance)
        if (deceased) age = 84;

        var fastCkd = scenario == CohortScenario.ChronicKidneyDisease && even;
        // At least four years, so that even yearly visits span three years or more; the acute
        // presentations need less background than the chronic themes.
        var years = fastCkd ? rng.Next(4, 8) : acute ? rng.Next(4, 9) : rng.Next(4, 12);
        var historyEnd = deceased ? reference.AddDays(-rng.Next(30, 90)) : reference;
        var start = AtHour(historyEnd.AddDays(-years * 365 - rng.Next(0, 120)), 9);
        var birth = AtHour(reference.AddYears(-age).AddDays(-rng.Next(1, 364)), 0);

        bool Maybe(double p) => rng.Chance(p);
        var diabetes = scenario switch
        {
            CohortScenario.Type2Diabetes => true,
            CohortScenario.ChronicKidneyDisease => Maybe(0.6),
            CohortScenario.HeartFailure or CohortScenario.AcuteCoronarySyndrome or CohortScenario.AcuteKidneyInjury => Maybe(0.4),
            CohortScenario.Sepsis => Maybe(0.6),
            _ => Maybe(0.15),
        };
        var ckd = scenario == CohortScenario.ChronicKidneyDisease
            || (scenario is CohortScenario.Sepsis or CohortScenario.AcuteKidneyInjury && Maybe(0.5))
            || (diabetes && Maybe(0.25));
        var hf = scenario == CohortScenario.HeartFailure;
        var copd = scenario == CohortScenario.Copd || (scenario == CohortScenario.Pneumonia && even);
        var af = scenario == CohortScenario.AtrialFibrillation || (hf && Maybe(0.4)) || (scenario == CohortScenario.UpperGiBleed && even);
        var htn = scenario is CohortScenario.Hypertension or CohortScenario.ChronicKidneyDisease or CohortScenario.HeartFailure
                or CohortScenario.AcuteKidneyInjury or CohortScenario.AcuteCoronarySyndrome
            || Maybe(0.45);
        var lipids = scenario == CohortScenario.AcuteCoronarySyndrome || (diabetes && Maybe(0.7)) || Maybe(0.25);
        var smoking = copd ? (Maybe(0.6) ? "former" : "current")
            : scenario == CohortScenario.AcuteCoronarySyndrome ? "current"
            : Maybe(0.3) ? "former" : "never";

        var height = female ? rng.Between(152, 172) : rng.Between(165, 188);
        var bmi = diabetes ? rng.Between(29, 37) : rng.Between(22, 31);
        var egfrStart = fastCkd ? rng.Between(62, 74)
            : ckd ? rng.Between(42, 62)
            : Math.Max(60, rng.Between(95, 110) - (age * 0.45));
        var egfrSlope = fastCkd ? rng.Between(6.0, 7.5) : ckd ? rng.Between(1.5, 3.5) : rng.Between(0.3, 1.2);

        return new PatientPlan
        {
            Index = index,
            Scenario = scenario,
            Female = female,
            Age = age,
            BirthDate = birth,
            HistoryStart = start,
            HistoryEnd = historyEnd,
            DeathDate = deceased ? historyEnd : null,
            AcuteStart = acute ? reference.AddHours(-rng.Next(7, 20)).AddMinutes(-rng.Next(0, 60)) : null,
            HistoryYears = years,
            Diabetes = diabetes,
            Ckd = ckd,
            CkdFastDecline = fastCkd,
            HeartFailure = hf,
            Copd = copd,
            Hypertension = htn,
            AtrialFibrillation = af,
            Hyperlipidemia = lipids,
            Osteoarthritis = (scenario == CohortScenario.UpperGiBleed && !even) || Maybe(0.2),
            HistoryOfDvt = scenario == CohortScenario.PulmonaryEmbolism && even,
            Warfarin = af && (scenario == CohortScenario.AtrialFibrillation ? even : Maybe(0.3)) && scenario != CohortScenario.UpperGiBleed,
            NtProBnp = hf && !even,
            UrinarySource = scenario == CohortScenario.Sepsis && even,
            Smoking = smoking,
            HeightCm = height,
            WeightKg = bmi * (height / 100) * (height / 100),
            HbA1cStart = diabetes ? rng.Between(6.6, 7.4) : 0,
            HbA1cSlope = diabetes ? rng.Between(0.25, 0.45) : 0,
            EgfrStart = egfrStart,
            EgfrSlope = egfrSlope,
            Lvef = hf ? rng.Between(25, 40) : rng.Between(55, 65),
            BnpBaseline = hf ? rng.Between(250, 600) : rng.Between(20, 80),
        };
    }

    /// <summary>The same UTC day at a whole hour (never DateTimeOffset.Date: it converts through local time).</summary>
    public static DateTimeOffset AtHour(DateTimeOffset day, int hour) =>
        new(day.UtcDateTime.Year, day.UtcDateTime.Month, day.UtcDateTime.Day, hour, 0, 0, TimeSpan.Zero);
}
