using System.Text.RegularExpressions;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>The shapes a Reference.reference takes in the files the portal reads.</summary>
internal enum ReferenceShape { Literal, Uuid, Contained, Conditional }

/// <summary>
/// A parsed Reference.reference: "urn:uuid:…" (resolved through the Bundle's fullUrls), "Type/id"
/// relative, an absolute URL ending in Type/id (optionally /_history/n), "#id" (contained) or a
/// conditional "Type?search" (bulk export writes those for practitioners and organizations).
/// </summary>
internal sealed partial record FhirReference(ReferenceShape Shape, string? Type, string? Id, string Raw)
{
    public static FhirReference? Parse(string raw)
    {
        if (raw.StartsWith("urn:uuid:", StringComparison.Ordinal))
            return UuidPattern().IsMatch(raw) ? new FhirReference(ReferenceShape.Uuid, null, null, raw) : null;
        if (raw.StartsWith('#'))
            return raw.Length > 1 ? new FhirReference(ReferenceShape.Contained, null, raw[1..], raw) : null;
        var conditional = ConditionalPattern().Match(raw);
        if (conditional.Success) return new FhirReference(ReferenceShape.Conditional, conditional.Groups["type"].Value, null, raw);
        var literal = LiteralPattern().Match(raw);
        return literal.Success
            ? new FhirReference(ReferenceShape.Literal, literal.Groups["type"].Value, literal.Groups["id"].Value, raw)
            : null;
    }

    [GeneratedRegex(@"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]{1,63})\?\S+$")]
    private static partial Regex ConditionalPattern();

    // The FHIR id grammar: [A-Za-z0-9\-\.]{1,64}; absolute URLs need a scheme.
    [GeneratedRegex(@"^(?:https?://[^\s/]+(?:/[^\s/]+)*/)?(?<type>[A-Z][A-Za-z]{1,63})/(?<id>[A-Za-z0-9\-\.]{1,64})(?:/_history/[A-Za-z0-9\-\.]{1,64})?$")]
    private static partial Regex LiteralPattern();
}
