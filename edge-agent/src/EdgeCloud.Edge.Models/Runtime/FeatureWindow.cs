using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// The last <c>Window</c> normalized values of one feature of one model input (a ring), with the
/// input's fill policy. Not thread-safe: its <see cref="ModelInputState"/> guards it.
/// </summary>
internal sealed class FeatureWindow
{
    private readonly float[] _values;
    private readonly ModelNormalization _normalization;
    private readonly ModelFillPolicy _fill;
    private int _next;
    private int _count;
    private bool _latestBad;

    public FeatureWindow(int window, ModelFillPolicy fill, ModelNormalization normalization)
    {
        _values = new float[window];
        _fill = fill;
        _normalization = normalization;
    }

    /// <summary>True when this feature lets the model run: a full, good window under <c>wait</c>, at least one value otherwise.</summary>
    public bool Ready => _fill == ModelFillPolicy.Wait ? _count == _values.Length && !_latestBad : _count > 0;

    /// <summary>True when a sample would hold a stand-in (padding, a held or centred value): its outputs are then of uncertain quality.</summary>
    public bool Filled => _count < _values.Length || _latestBad;

    /// <summary>Takes one point; false when it changed nothing a sample would see.</summary>
    public bool Push(in DataPoint point)
    {
        var raw = point.Value.AsDouble();
        if (point.Quality.IsBad() || !double.IsFinite(raw))
        {
            var wasBad = _latestBad;
            _latestBad = true;
            switch (_fill)
            {
                case ModelFillPolicy.Mean:
                    Add((float)_normalization.Center);
                    return true;
                case ModelFillPolicy.Wait:
                    return !wasBad;
                default:
                    return false; // hold: the last good value carries on
            }
        }

        _latestBad = false;
        Add((float)_normalization.Apply(raw));
        return true;
    }

    /// <summary>Writes the window oldest first at <paramref name="destination"/>[offset + t * stride].</summary>
    public void CopyTo(Span<float> destination, int offset, int stride)
    {
        var window = _values.Length;
        var missing = window - _count;
        var oldest = _count == 0 ? 0 : (_next - _count + window) % window;
        var pad = _fill == ModelFillPolicy.Mean || _count == 0 ? (float)_normalization.Center : _values[oldest];
        for (var t = 0; t < window; t++)
        {
            destination[offset + (t * stride)] = t < missing ? pad : _values[(oldest + t - missing) % window];
        }
    }

    private void Add(float value)
    {
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        if (_count < _values.Length)
        {
            _count++;
        }
    }
}
