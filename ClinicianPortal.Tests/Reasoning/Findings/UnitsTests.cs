using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Tests.Reasoning.Findings;

public sealed class UnitsTests
{
    [Theory]
    // creatinine: 1 mg/dL = 88.4 µmol/L
    [InlineData(1.0, "mg/dL", "umol/L", "2160-0", 88.4)]
    [InlineData(265, "µmol/L", "mg/dL", "2160-0", 3.0)]
    [InlineData(265, "umol/L", "mg/dL", "14682-9", 3.0)]
    // glucose: 1 mmol/L = 18 mg/dL
    [InlineData(10, "mmol/L", "mg/dL", "2345-7", 180.2)]
    [InlineData(250, "mg/dL", "mmol/L", "2345-7", 13.9)]
    // troponin: 1 ng/mL = 1000 ng/L
    [InlineData(0.05, "ng/mL", "ng/L", "10839-9", 50)]
    [InlineData(26, "ng/L", "ng/mL", "89579-7", 0.026)]
    [InlineData(4100, "ng/mL{FEU}", "ug/L{FEU}", "48065-7", 4100)]
    [InlineData(4.1, "mg/L FEU", "ug/L{FEU}", "48065-7", 4100)]
    [InlineData(14, "g/dL", "g/L", "718-7", 140)]
    [InlineData(12.5, "10^9/L", "10*3/uL", "6690-2", 12.5)]
    [InlineData(12.5, "K/uL", "10*3/uL", "6690-2", 12.5)]
    [InlineData(101.3, "[degF]", "Cel", "8310-5", 38.5)]
    [InlineData(38.5, "°C", "Cel", "8310-5", 38.5)]
    [InlineData(120, "mmHg", "mm[Hg]", "8480-6", 120)]
    [InlineData(110, "beats/min", "/min", "8867-4", 110)]
    [InlineData(3.2, "mIU/L", "m[IU]/L", "3016-3", 3.2)]
    [InlineData(1.8, null, "{INR}", "6301-6", 1.8)]
    public void Converts_common_unit_pairs(double value, string? from, string to, string loinc, double expected)
    {
        Assert.True(Units.TryConvert(value, from, to, loinc, out var result, out var reason), reason);
        Assert.Equal(expected, result, 1);
    }

    [Theory]
    [InlineData(1.2, "mg/dL", "umol/L", "1988-5", "no molar mass")]    // CRP: no molar mass on file
    [InlineData(500, "ng/mL{DDU}", "ug/L{FEU}", "48065-7", "different scales")]
    [InlineData(5.0, null, "mmol/L", "2524-7", "no unit")]
    [InlineData(5.0, "furlongs", "mmol/L", "2524-7", "cannot convert")]
    [InlineData(90, "%", "mm[Hg]", "8480-6", "cannot convert")]
    public void Refuses_to_guess_and_says_why(double value, string? from, string to, string loinc, string why)
    {
        Assert.False(Units.TryConvert(value, from, to, loinc, out _, out var reason));
        Assert.Contains(why, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_of_the_same_analyte_in_mass_and_molar_units_are_read_together()
    {
        Assert.Contains("14682-9", Units.Equivalents("2160-0"));
        Assert.Equal(["8867-4"], Units.Equivalents("8867-4"));
    }
}
