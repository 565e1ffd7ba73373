namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>The 97.5 % quantile of Student's t (two-sided 95 %), for prediction intervals.</summary>
internal static class StudentT
{
    // Exact to three decimals for 1..30 degrees of freedom (standard tables).
    private static readonly double[] Table =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    private const double Z = 1.959963984540054;

    /// <summary>t(0.975, <paramref name="degreesOfFreedom"/>); above 30 the Cornish-Fisher expansion (error below 0.001).</summary>
    public static double Quantile975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        if (degreesOfFreedom <= Table.Length)
        {
            return Table[degreesOfFreedom - 1];
        }

        double v = degreesOfFreedom, z3 = Z * Z * Z, z5 = z3 * Z * Z;
        return Z + ((z3 + Z) / (4 * v)) + (((5 * z5) + (16 * z3) + (3 * Z)) / (96 * v * v));
    }
}
