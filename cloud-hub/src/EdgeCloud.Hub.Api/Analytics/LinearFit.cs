namespace EdgeCloud.Hub.Api.Analytics;

/// <summary>
/// An ordinary least-squares line y = <see cref="Intercept"/> + <see cref="Slope"/>·x over n points, with what a
/// prediction interval needs: the mean of x, Sxx, and the residual standard error s (n - 2 degrees of freedom).
/// </summary>
internal sealed record LinearFit(double Slope, double Intercept, double? R2, int N, double MeanX, double Sxx, double ResidualStdError)
{
    /// <summary>The fit of the points; null with fewer than 3 points or all x equal.</summary>
    public static LinearFit? Of(IReadOnlyList<(double X, double Y)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 3)
        {
            return null;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        double sxx = 0, sxy = 0, syy = 0;
        foreach (var (x, y) in points)
        {
            sxx += (x - meanX) * (x - meanX);
            sxy += (x - meanX) * (y - meanY);
            syy += (y - meanY) * (y - meanY);
        }

        if (sxx <= 0)
        {
            return null;
        }

        var slope = sxy / sxx;
        var intercept = meanY - (slope * meanX);
        var residual = Math.Max(0, syy - (slope * sxy));
        double? r2 = syy > 0 ? Math.Clamp(1 - (residual / syy), 0, 1) : null;
        return new LinearFit(slope, intercept, r2, points.Count, meanX, sxx, Math.Sqrt(residual / (points.Count - 2)));
    }

    /// <summary>The predicted y at <paramref name="x"/> and its 95 % prediction interval for one new observation.</summary>
    public (double Value, double Lower, double Upper) Predict(double x)
    {
        var value = Intercept + (Slope * x);
        var half = StudentT.Quantile975(N - 2) * ResidualStdError * Math.Sqrt(1 + (1.0 / N) + ((x - MeanX) * (x - MeanX) / Sxx));
        return (value, value - half, value + half);
    }
}
