namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// Clearly synthetic identifiers for exports that must look like real ones (tests of de-identification
/// and import): names from fixed lists, MRNs in a made-up OID namespace, SSNs in the never-issued 9xx
/// range, phone numbers in the fictional 555-01xx block, example.org e-mail addresses.
/// </summary>
internal sealed record PatientIdentity(
    string Given, string Family, string Mrn, string Ssn, string Phone, string Email,
    string Street, string City, string PostalCode, string Clinician)
{
    private static readonly string[] FemaleNames = ["Maren", "Odile", "Priya", "Rosalind", "Ingrid", "Lucia", "Noemi", "Tamsin", "Yelena", "Beatrix"];
    private static readonly string[] MaleNames = ["Anselm", "Bastian", "Cormac", "Dmitri", "Evander", "Florian", "Gideon", "Horatio", "Ivo", "Jasper"];
    private static readonly string[] FamilyNames = ["Quillfeather", "Brackenridge", "Thistlewood", "Ashgrove", "Merriweather", "Fairbrook", "Holloway", "Pemberton", "Wrenfield", "Castellane", "Oakhurst", "Delacroix"];
    private static readonly string[] Streets = ["Elm Street", "Harbor Road", "Maple Avenue", "Orchard Lane", "Beacon Court", "Willow Way"];
    private static readonly string[] Cities = ["Springfield", "Fairhaven", "Marlow", "Ashby", "Kingsford"];
    private static readonly string[] Clinicians = ["Okonkwo", "Lindqvist", "Ferreira", "Nakamura", "Abernathy"];

    public static PatientIdentity Draw(SyntheticRandom rng, bool female)
    {
        var given = rng.Pick(female ? FemaleNames : MaleNames);
        var family = rng.Pick(FamilyNames);
        return new PatientIdentity(
            given,
            family,
            Mrn: $"MRN{rng.Next(1_000_000, 9_999_999)}",
            Ssn: $"9{rng.Next(10, 99)}-{rng.Next(10, 99)}-{rng.Next(1000, 9999)}",
            Phone: $"(617) 555-01{rng.Next(0, 100):D2}",
            Email: $"{given.ToLowerInvariant()}.{family.ToLowerInvariant()}@example.org",
            Street: $"{rng.Next(2, 400)} {rng.Pick(Streets)}",
            City: rng.Pick(Cities),
            PostalCode: $"0{rng.Next(1000, 2800)}",
            Clinician: rng.Pick(Clinicians));
    }
}
