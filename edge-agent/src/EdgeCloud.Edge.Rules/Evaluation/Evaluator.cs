namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>A compiled expression node: a closure over its children and input slots.</summary>
internal delegate double Evaluator(EvaluationContext context);
