using ClinicianPortal.Shared.Governance.Audit;

namespace ClinicianPortal.Tests.Governance.Audit;

/// <summary>The hash chain in memory: canonical hashing and what verification reports for each kind of tampering.</summary>
public sealed class AuditChainTests
{
    private static readonly ModelStamp Model = new("differential", "1.0.0", new string('a', 64));
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var entry = AuditEntry.For("physician", "p-" + i, AuditKind.Differential, Model, new { findings = new[] { "fever", "cough" }, i }, new { top = "pneumonia", p = 0.4 + i / 100.0 });
            var last = records.LastOrDefault();
            records.Add(AuditRecord.Seal(entry, last?.Id ?? 0, last?.Hash ?? AuditRecord.GenesisHash, Start.AddMinutes(i)));
        }
        return records;
    }

    [Fact]
    public void An_untouched_chain_verifies_with_its_count_and_head()
    {
        var chain = Chain(5);
        var result = AuditChain.Verify(chain);
        Assert.True(result.Intact, result.ToString());
        Assert.Equal(5, result.Records);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
        Assert.Equal(AuditRecord.GenesisHash, chain[0].PreviousHash);
        Assert.Equal(chain[2].Hash, chain[3].PreviousHash);
    }

    [Fact]
    public void Canonical_json_ignores_property_order_so_equal_inputs_hash_equal()
    {
        Assert.Equal(CanonicalJson.Serialize(new { b = 1, a = new { y = 2, x = 3 } }), CanonicalJson.Serialize("""{ "a": { "x": 3, "y": 2 }, "b": 1 }"""));
        Assert.Equal("""{"a":{"x":3,"y":2},"b":1}""", CanonicalJson.Serialize(new { b = 1, a = new { y = 2, x = 3 } }));
        Assert.NotEqual(AuditEntry.For("u", "p", AuditKind.Summary, Model, new { a = 1 }, "{}").InputSha256,
            AuditEntry.For("u", "p", AuditKind.Summary, Model, new { a = 2 }, "{}").InputSha256);
    }

    [Fact]
    public void Every_field_is_sealed_by_the_hash()
    {
        var record = Chain(1)[0];
        var variants = new[]
        {
            record with { Id = 2 }, record with { RecordedAt = record.RecordedAt.AddTicks(10) }, record with { UserName = "admin" },
            record with { PatientPseudonym = "p-x" }, record with { Kind = "summary" }, record with { Model = Model with { Id = "other" } },
            record with { Model = Model with { Version = "1.0.1" } }, record with { Model = Model with { Sha256 = new string('b', 64) } },
            record with { InputSha256 = new string('c', 64) }, record with { OutputJson = "{}" }, record with { PreviousHash = new string('1', 64) },
        };
        Assert.All(variants, v => Assert.NotEqual(record.Hash, AuditHash.Compute(v)));
        // Length-prefixed fields: moving text from one field to the next changes the hash.
        Assert.NotEqual(AuditHash.Compute(record with { UserName = "ab", PatientPseudonym = "c" }), AuditHash.Compute(record with { UserName = "a", PatientPseudonym = "bc" }));
    }

    [Fact]
    public void An_altered_output_is_reported_at_its_record()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { OutputJson = """{"p":0.99,"top":"influenza"}""" };
        var result = AuditChain.Verify(chain);
        Assert.Equal((false, 3L, AuditBreak.Altered), (result.Intact, result.BrokenRecordId, result.Break));
    }

    [Fact]
    public void A_deleted_record_is_reported_at_the_record_after_it()
    {
        var chain = Chain(5);
        chain.RemoveAt(2);
        var result = AuditChain.Verify(chain);
        Assert.Equal((false, 4L, AuditBreak.Deleted), (result.Intact, result.BrokenRecordId, result.Break));
        Assert.Contains("record 3", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deleted_first_record_is_reported()
    {
        var chain = Chain(3);
        chain.RemoveAt(0);
        Assert.Equal(AuditBreak.Deleted, AuditChain.Verify(chain).Break);
    }

    [Fact]
    public void Swapped_records_are_reported_as_reordered()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2] with { Id = 2 }, chain[1] with { Id = 3 });
        var result = AuditChain.Verify(chain);
        Assert.Equal((false, 2L, AuditBreak.Reordered), (result.Intact, result.BrokenRecordId, result.Break));
    }

    [Fact]
    public void A_modified_previous_hash_is_reported_even_when_the_record_was_re_hashed()
    {
        var chain = Chain(5);
        chain[3] = chain[3] with { PreviousHash = new string('f', 64) };
        var result = AuditChain.Verify(chain);
        Assert.Equal((false, 4L, AuditBreak.LinkBroken), (result.Intact, result.BrokenRecordId, result.Break));

        chain[3] = chain[3] with { Hash = AuditHash.Compute(chain[3]) };
        Assert.Equal((4L, AuditBreak.LinkBroken), (AuditChain.Verify(chain).BrokenRecordId, AuditChain.Verify(chain).Break));
    }

    [Fact]
    public void An_altered_and_re_hashed_record_breaks_the_link_of_the_next()
    {
        var chain = Chain(5);
        chain[1] = chain[1] with { OutputJson = "{}" };
        chain[1] = chain[1] with { Hash = AuditHash.Compute(chain[1]) };
        var result = AuditChain.Verify(chain);
        Assert.Equal((3L, AuditBreak.LinkBroken), (result.BrokenRecordId, result.Break));
        Assert.Contains("record 2 was altered", result.Reason, StringComparison.Ordinal);
    }
}
