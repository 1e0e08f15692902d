namespace ClinicianPortal.Shared.Governance.Statistics;

/// <summary>The level of measurement, which decides how far apart two values are (Krippendorff's difference functions).</summary>
public enum AlphaMetric { Nominal, Ordinal, Interval }

/// <summary>
/// Krippendorff's α (Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011): agreement among any number of
/// raters, each rating any subset of the units. α = 1 − D_o / D_e, with D_o the observed disagreement within units
/// and D_e the disagreement expected by chance, both from the coincidence matrix of pairable values. Units with fewer
/// than two values are not pairable and are left out. 1 is perfect agreement, 0 is chance.
/// </summary>
public static class KrippendorffAlpha
{
    /// <param name="units">For each unit (rated item), the values of the raters who rated it; missing ratings are simply absent.</param>
    /// <returns>Null (undefined) when no unit has two values, or when every pairable value is the same (no variation to agree on).</returns>
    public static double? Compute(IEnumerable<IReadOnlyCollection<int>> units, AlphaMetric metric)
    {
        ArgumentNullException.ThrowIfNull(units);
        var pairable = units.Where(u => u.Count >= 2).ToList();
        if (pairable.Count == 0) return null;
        var values = pairable.SelectMany(u => u).Distinct().Order().ToArray();
        if (values.Length < 2) return null;
        var index = values.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);

        // Coincidence matrix: each ordered pair of values from different raters of a unit counts 1 / (m_u − 1).
        var v = values.Length;
        var coincidences = new double[v, v];
        var counts = new double[v];
        foreach (var unit in pairable)
        {
            Array.Clear(counts);
            foreach (var value in unit) counts[index[value]]++;
            var weight = 1.0 / (unit.Count - 1);
            for (var c = 0; c < v; c++)
            {
                if (counts[c] == 0) continue;
                for (var k = 0; k < v; k++)
                    coincidences[c, k] += weight * counts[c] * (c == k ? counts[k] - 1 : counts[k]);
            }
        }
        var marginals = new double[v];
        for (var c = 0; c < v; c++) for (var k = 0; k < v; k++) marginals[c] += coincidences[c, k];
        var n = marginals.Sum();

        double observed = 0, expected = 0;
        for (var c = 0; c < v; c++)
        {
            for (var k = 0; k < v; k++)
            {
                var delta = Difference(metric, values, marginals, c, k);
                observed += coincidences[c, k] * delta;
                expected += marginals[c] * marginals[k] * delta;
            }
        }
        // α = 1 − D_o / D_e = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
        return expected == 0 ? null : 1 - (n - 1) * observed / expected;
    }

    /// <summary>The squared difference δ²(c, k) between the c-th and k-th distinct values.</summary>
    private static double Difference(AlphaMetric metric, int[] values, double[] marginals, int c, int k)
    {
        if (c == k) return 0;
        switch (metric)
        {
            case AlphaMetric.Nominal:
                return 1;
            case AlphaMetric.Interval:
                return Math.Pow(values[c] - values[k], 2);
            case AlphaMetric.Ordinal:
                // (Σ_{g=c..k} n_g − (n_c + n_k) / 2)²: the distance is how many pairable values lie between the two ranks.
                var (low, high) = c < k ? (c, k) : (k, c);
                double between = 0;
                for (var g = low; g <= high; g++) between += marginals[g];
                return Math.Pow(between - (marginals[c] + marginals[k]) / 2, 2);
            default:
                throw new ArgumentOutOfRangeException(nameof(metric));
        }
    }
}
