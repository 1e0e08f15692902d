using ClinicianPortal.Shared.Governance.Annotations;

namespace ClinicianPortal.Tests.Governance.Annotations;

public sealed class AnnotationTargetTests
{
    [Theory]
    [InlineData("summary/problems/2", AnnotationTargetKind.SummarySentence)]
    [InlineData("differential/pulmonary-embolism", AnnotationTargetKind.DifferentialEntry)]
    [InlineData("evidence/pulmonary-embolism/tachycardia", AnnotationTargetKind.EvidenceItem)]
    [InlineData("differential", AnnotationTargetKind.Differential)]
    [InlineData("summary", AnnotationTargetKind.Summary)]
    public void Every_documented_key_parses_to_its_kind_and_back_to_the_same_key(string key, AnnotationTargetKind kind)
    {
        var target = AnnotationTarget.Parse(key);
        Assert.Equal(kind, target.Kind);
        Assert.Equal(key, target.Key);
    }

    [Fact]
    public void Parts_of_a_key_are_read_back()
    {
        var sentence = AnnotationTarget.Parse("summary/one-liner/1");
        Assert.Equal(("one-liner", 1), (sentence.Section, sentence.Sentence));
        var evidence = AnnotationTarget.Parse("evidence/sepsis/fever");
        Assert.Equal(("sepsis", "fever"), (evidence.ConditionId, evidence.FindingId));
        Assert.Equal(AnnotationTarget.DifferentialEntry("sepsis"), AnnotationTarget.Parse("differential/sepsis"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("summary/problems/0")]
    [InlineData("summary/problems/01")]
    [InlineData("summary/problems/two")]
    [InlineData("summary/problems")]
    [InlineData("differential/Sepsis")]
    [InlineData("differential/sepsis/")]
    [InlineData("evidence/sepsis")]
    [InlineData("next-tests/ct")]
    [InlineData("differential/<script>")]
    public void Keys_outside_the_documented_forms_are_refused_with_a_reason(string key)
    {
        Assert.Null(AnnotationTarget.TryParse(key, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Throws<FormatException>(() => AnnotationTarget.Parse(key));
    }

    [Fact]
    public void Building_a_key_from_an_id_that_could_break_it_throws()
    {
        Assert.Throws<ArgumentException>(() => AnnotationTarget.DifferentialEntry("a/b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => AnnotationTarget.SummarySentence("problems", 0));
    }
}
