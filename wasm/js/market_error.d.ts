export { MarketError } from './market/gigmarket.js';
