// natural's package entry loads every module, including storage back-ends that call
// dotenv.config(): that prints "injected env" lines and reads any .env into process.env
// as a side effect of importing a classifier. We import the three files we use directly
// and borrow their types from the package's own declarations.
declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  import type { BayesClassifier } from 'natural';
  const BayesClassifierCtor: typeof BayesClassifier;
  export default BayesClassifierCtor;
}

declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  import type { WordTokenizer } from 'natural';
  const tokenizers: { WordTokenizer: typeof WordTokenizer };
  export default tokenizers;
}

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  import type { Stemmer } from 'natural';
  const PorterStemmer: Stemmer;
  export default PorterStemmer;
}
