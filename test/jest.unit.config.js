module.exports = require('./jest.base')('spec');
