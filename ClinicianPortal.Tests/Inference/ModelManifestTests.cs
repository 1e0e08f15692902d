using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;

namespace ClinicianPortal.Tests.Inference;

public sealed class ModelManifestTests
{
    private static ModelManifest Sample() => ModelFolder.ManifestFor("differential", "1.0.0", "differential-1.0.0.onnx", ModelFolder.ScaleModel(1f));

    [Fact]
    public void Manifest_round_trips_through_json_with_readable_element_types()
    {
        var manifest = Sample();

        var json = manifest.ToJson();
        var back = ModelManifest.Parse(json);

        Assert.Contains("\"elementType\": \"float\"", json, StringComparison.Ordinal);
        Assert.Equal(manifest.Sha256, back.Sha256);
        Assert.Equal(manifest.Inputs[0].Shape, back.Inputs[0].Shape);
        Assert.Equal(manifest.OutOfScopeUses, back.OutOfScopeUses);
        Assert.Equal(1, back.Metrics["exact"]);
    }

    [Theory]
    [InlineData("sha256", "abc", "sha256 must be 64 hex digits")]
    [InlineData("file", "../../etc/passwd", "file must be a path inside the models folder")]
    [InlineData("file", "/etc/passwd", "file must be a path inside the models folder")]
    [InlineData("id", "", "id is empty")]
    public void Manifest_with_a_bad_field_is_refused_with_the_reason(string field, string value, string reason)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Sample().ToJson())!;
        json[field] = value;

        var e = Assert.Throws<InvalidDataException>(() => ModelManifest.Parse(json.ToJsonString()));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_without_declared_inputs_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelManifest.Parse((Sample() with { Inputs = [] }).ToJson()));

        Assert.Contains("inputs are not declared", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_that_is_not_json_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => ModelManifest.Parse("not json"));
        Assert.Equal(TensorElementType.Float, Sample().Inputs[0].ElementType);
    }
}
