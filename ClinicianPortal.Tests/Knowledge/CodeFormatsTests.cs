using ClinicianPortal.Shared.Knowledge;

namespace ClinicianPortal.Tests.Knowledge;

public class CodeFormatsTests
{
    [Theory]
    [InlineData("22298006", true)]    // myocardial infarction
    [InlineData("59282003", true)]    // pulmonary embolism
    [InlineData("840539006", true)]   // COVID-19
    [InlineData("368581000119106", true)] // US extension concept
    [InlineData("22298007", false)]   // wrong check digit
    [InlineData("22298016", false)]   // description partition, not a concept
    [InlineData("12345", false)]
    public void Snomed_concept_ids_are_checked_with_the_verhoeff_digit(string code, bool valid) =>
        Assert.Equal(valid, CodeFormats.IsSnomedConcept(code));

    [Theory]
    [InlineData("2160-0", true)]
    [InlineData("718-7", true)]
    [InlineData("33914-3", true)]
    [InlineData("2160-1", false)]
    [InlineData("2160", false)]
    public void Loinc_codes_are_checked_with_the_mod10_digit(string code, bool valid) =>
        Assert.Equal(valid, CodeFormats.IsLoinc(code));

    [Theory]
    [InlineData("I21", true)]
    [InlineData("I21.4", true)]
    [InlineData("S22.9XXA", true)]
    [InlineData("i21", false)]
    [InlineData("U21..1", false)]
    [InlineData("121", false)]
    public void Icd10_codes_are_checked_for_shape(string code, bool valid) =>
        Assert.Equal(valid, CodeFormats.IsIcd10Cm(code));
}
