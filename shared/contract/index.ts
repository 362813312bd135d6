export * from './dto';
export * from './errors';
export * from './schemas';
export * from './services';
export * from './dispatch';
export * from './host';
export * from './menu';
export { methodNameList, hostMethodNameList, isContractMethodName } from './names';
export * from './recovery';
